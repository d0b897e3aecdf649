package org.stsrelay.policy;

import java.util.ArrayList;
import java.util.List;

/** The ABNF pieces that MTA-STS TXT records and policies and TLS-RPT records share (RFC 8461 §3.1, §3.2; RFC 8460 §3). */
public final class FieldSyntax {

    /** One {@code name=value} field of a TXT record, split at its first {@code =}. */
    public record Field(String name, String value) {}

    /** The fields after a TXT record's version, or why they cannot be read. */
    public sealed interface Split {
        /**
         * The record reads as a version and {@code name=value} fields.
         *
         * @param fields the fields in record order, WSP around each trimmed
         * @param spaceBeforeDelimiter whether whitespace stands between the version and the first {@code ;}
         */
        record Fields(List<Field> fields, boolean spaceBeforeDelimiter) implements Split {
            /** Copies the list. */
            public Fields {
                fields = List.copyOf(fields);
            }
        }

        /** The record does not read as a version and fields. */
        record Malformed(String reason) implements Split {}
    }

    private static final int MAX_NAME = 32;

    private FieldSyntax() {}

    /**
     * Tells whether a TXT string is a record of the given version at all: the version, optional whitespace, then
     * {@code ;}. RFC 8461 §3.1 and RFC 8460 §3 discard every other string before the records are counted, and the
     * ABNF (field-delim = *WSP ";" *WSP) allows the whitespace, so a bare version is not a record.
     */
    public static boolean beginsWithVersion(String txt, String version) {
        if (!txt.startsWith(version)) {
            return false;
        }
        int i = version.length();
        while (i < txt.length() && isWsp(txt.charAt(i))) {
            i++;
        }
        return i < txt.length() && txt.charAt(i) == ';';
    }

    /** Splits a TXT record that {@link #beginsWithVersion} accepted into its fields; checks no field's content. */
    public static Split splitRecord(String txt, String version) {
        if (!beginsWithVersion(txt, version)) {
            return new Split.Malformed("does not begin with " + version + ";");
        }
        if (!DomainNames.isAscii(txt)) {
            return new Split.Malformed("not US-ASCII");
        }
        String[] parts = txt.split(";", -1);
        List<Field> fields = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String field = trimWsp(parts[i]);
            // 1*(field-delim field) [field-delim]: one trailing delimiter, never an empty field between two.
            if (field.isEmpty() && i == parts.length - 1) {
                break;
            }
            int equals = field.indexOf('=');
            if (equals <= 0) {
                return new Split.Malformed(
                        field.isEmpty()
                                ? "an empty field (\";;\") is not name=value"
                                : "field \"" + field + "\" is not name=value");
            }
            fields.add(new Field(field.substring(0, equals), field.substring(equals + 1)));
        }
        return new Split.Fields(fields, txt.charAt(version.length()) != ';');
    }

    /** RFC 8461 §3.1, §3.2, RFC 8460 §3: a field name is (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / "."). */
    public static boolean isFieldName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME || !isAlphanumeric(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAlphanumeric(c) && c != '_' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    /** RFC 8461 §3.1, RFC 8460 §3: an extension value is 1*(%x21-3A / %x3C / %x3E-7E), so no space, ";" or "=". */
    public static boolean isExtensionValue(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e || c == ';' || c == '=') {
                return false;
            }
        }
        return true;
    }

    /** Tells whether {@code c} is an ASCII letter or digit (ABNF ALPHA / DIGIT). */
    public static boolean isAlphanumeric(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    /** Tells whether {@code c} is ABNF WSP, a space or a tab. */
    public static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }

    /** Removes WSP (not other whitespace) from both ends of {@code value}. */
    public static String trimWsp(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && isWsp(value.charAt(start))) {
            start++;
        }
        while (end > start && isWsp(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(start, end);
    }
}
