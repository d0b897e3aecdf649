package org.stsrelay.dane;

import java.util.HexFormat;

/** Reads the presentation form of a TLSA record (RFC 6698 §2.2), as TLS-RPT and {@code check} show it. */
final class TlsaPresentationParser {

    private static final String[] NUMBER_FIELDS = {"usage", "selector", "matching type"};

    private TlsaPresentationParser() {}

    /** Parses {@code "usage selector matching-type hex..."} (RFC 6698 §2.2); the hex may contain spaces. */
    static TlsaParse parse(String text) {
        String[] fields = text.strip().split("\\s+", 4);
        if (fields.length < 4) {
            int count = fields[0].isEmpty() ? 0 : fields.length;
            return new TlsaParse.Invalid(
                    text, "a TLSA record has four fields (usage, selector, matching type, data), not " + count);
        }
        int[] numbers = new int[3];
        for (int i = 0; i < 3; i++) {
            if (!fields[i].matches("[0-9]{1,3}") || Integer.parseInt(fields[i]) > 255) {
                return new TlsaParse.Invalid(
                        text, "the " + NUMBER_FIELDS[i] + " \"" + fields[i] + "\" is not a number from 0 to 255");
            }
            numbers[i] = Integer.parseInt(fields[i]);
        }
        String hex = fields[3].replaceAll("\\s+", "");
        if (hex.length() % 2 != 0 || !hex.matches("[0-9A-Fa-f]+")) {
            return new TlsaParse.Invalid(text, "the data \"" + fields[3] + "\" is not an even number of hex digits");
        }
        return new TlsaParse.Parsed(
                TlsaRecord.of(numbers[0], numbers[1], numbers[2], HexFormat.of().parseHex(hex)));
    }
}
