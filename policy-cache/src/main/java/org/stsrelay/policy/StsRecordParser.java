package org.stsrelay.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Parses {@code _mta-sts} TXT records (RFC 8461 §3.1); never throws on any input. */
public final class StsRecordParser {

    /** The outcome of parsing one TXT record: a record, or why it is invalid. */
    public sealed interface Result {
        /** The record is valid. */
        record Valid(StsRecord record) implements Result {
        }

        /** The record starts with {@code v=STSv1} but breaks the grammar. */
        record Invalid(String reason) implements Result {
        }
    }

    private static final String VERSION = "v=STSv1";
    private static final int MAX_ID = 32;
    private static final int MAX_EXT_NAME = 32;

    private StsRecordParser() {
    }

    /**
     * Tells whether a TXT string is an MTA-STS record at all: RFC 8461 §3.1 discards every other one.
     * Following the ABNF (erratum 6285, Decision 1), whitespace may stand between {@code v=STSv1} and {@code ;}.
     */
    public static boolean isStsRecord(String txt) {
        if (!txt.startsWith(VERSION)) {
            return false;
        }
        int i = VERSION.length();
        while (i < txt.length() && PolicyParser.isWsp(txt.charAt(i))) {
            i++;
        }
        return i == txt.length() || txt.charAt(i) == ';';
    }

    /** Parses a TXT string that {@link #isStsRecord} accepted. */
    public static Result parse(String txt) {
        if (!isStsRecord(txt)) {
            return new Result.Invalid("does not begin with v=STSv1");
        }
        if (!DomainNames.isAscii(txt)) {
            return new Result.Invalid("not US-ASCII");
        }
        List<String> parts = List.of(txt.split(";", -1));
        String id = null;
        Map<String, String> extensions = new HashMap<>();
        for (int i = 1; i < parts.size(); i++) {
            String field = trimWsp(parts.get(i));
            // RFC 8461 §3.1: one optional trailing field delimiter, never an empty field between two.
            if (field.isEmpty() && i == parts.size() - 1 && i > 1) {
                break;
            }
            Optional<String> error = checkField(field);
            if (error.isPresent()) {
                return new Result.Invalid(error.get());
            }
            if (field.startsWith("id=")) {
                if (id != null) {
                    return new Result.Invalid("several id fields");
                }
                id = field.substring(3);
            } else {
                extensions.putIfAbsent(field.substring(0, field.indexOf('=')), field.substring(field.indexOf('=') + 1));
            }
        }
        if (id == null) {
            return new Result.Invalid("no id field");
        }
        return new Result.Valid(new StsRecord(id, extensions, txt));
    }

    private static Optional<String> checkField(String field) {
        int equals = field.indexOf('=');
        if (equals <= 0) {
            return Optional.of("field \"" + field + "\" is not name=value");
        }
        String name = field.substring(0, equals);
        String value = field.substring(equals + 1);
        if (name.equals("id")) {
            // RFC 8461 §3.1: sts-id = %s"id=" 1*32(ALPHA / DIGIT); strict (Decision 1).
            return isId(value) ? Optional.empty()
                    : Optional.of("id \"" + value + "\" is not 1 to 32 letters and digits");
        }
        if (!isExtensionName(name) || !isExtensionValue(value)) {
            return Optional.of("field \"" + field + "\" breaks the grammar");
        }
        return Optional.empty();
    }

    static boolean isId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (!PolicyParser.isAlphanumeric(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    // RFC 8461 §3.1: sts-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".").
    private static boolean isExtensionName(String name) {
        return name.length() <= MAX_EXT_NAME && PolicyParser.isFieldName(name);
    }

    // RFC 8461 §3.1: sts-ext-value = 1*(%x21-3A / %x3C / %x3E-7E), so no space, ";" or "=".
    private static boolean isExtensionValue(String value) {
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

    private static String trimWsp(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && PolicyParser.isWsp(value.charAt(start))) {
            start++;
        }
        while (end > start && PolicyParser.isWsp(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(start, end);
    }
}
