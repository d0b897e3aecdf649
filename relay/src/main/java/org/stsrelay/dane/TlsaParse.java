package org.stsrelay.dane;

import java.util.HexFormat;

/** The outcome of parsing a TLSA record's presentation form: the record, or why the text is not one. */
public sealed interface TlsaParse permits TlsaParse.Parsed, TlsaParse.Invalid {

    /** The text was a TLSA record. */
    record Parsed(TlsaRecord record) implements TlsaParse {
    }

    /** The text was not a TLSA record, and {@code reason} says which field is wrong. */
    record Invalid(String text, String reason) implements TlsaParse {
    }

    /** Parses {@code "usage selector matching-type hex..."} (RFC 6698 §2.2); the hex may contain spaces. */
    static TlsaParse of(String text) {
        String[] fields = text.strip().split("\\s+", 4);
        if (fields.length < 4) {
            return new Invalid(text, "a TLSA record has four fields (usage, selector, matching type, data), not "
                    + (fields[0].isEmpty() ? 0 : fields.length));
        }
        String[] names = {"usage", "selector", "matching type"};
        int[] numbers = new int[3];
        for (int i = 0; i < 3; i++) {
            if (!fields[i].matches("[0-9]{1,3}") || Integer.parseInt(fields[i]) > 255) {
                return new Invalid(text, "the " + names[i] + " \"" + fields[i] + "\" is not a number from 0 to 255");
            }
            numbers[i] = Integer.parseInt(fields[i]);
        }
        String hex = fields[3].replaceAll("\\s+", "");
        if (hex.length() % 2 != 0 || !hex.matches("[0-9A-Fa-f]+")) {
            return new Invalid(text, "the data \"" + fields[3] + "\" is not an even number of hex digits");
        }
        return new Parsed(TlsaRecord.of(numbers[0], numbers[1], numbers[2], HexFormat.of().parseHex(hex)));
    }
}
