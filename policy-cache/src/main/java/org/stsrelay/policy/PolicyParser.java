package org.stsrelay.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Parses MTA-STS policy files (RFC 8461 §3.2); never throws on any input. */
public final class PolicyParser {

    /** RFC 8461 §3.2: the largest max_age a policy may carry, in seconds (one year). */
    public static final long MAX_AGE_LIMIT = 31_557_600L;

    private static final int MAX_AGE_DIGITS = 10;
    private static final int MAX_NAME_LENGTH = 32;
    private static final String NOT_VERSION_FIRST = "the first line must be \"version: STSv1\"";

    private PolicyParser() {
    }

    /** Parses {@code text}, a policy file decoded from UTF-8. */
    public static ParseResult parse(String text) {
        List<String> lines = splitLines(text);
        int last = lines.size();
        // Blank lines after the last field are tolerated: many policy files end with an empty line.
        while (last > 0 && lines.get(last - 1).isBlank()) {
            last--;
        }
        if (last == 0) {
            return new ParseResult.Invalid("the policy is empty");
        }
        Fields fields = new Fields();
        for (int i = 0; i < last; i++) {
            Optional<String> error = fields.accept(i + 1, lines.get(i));
            if (error.isPresent()) {
                return new ParseResult.Invalid(error.get());
            }
        }
        return fields.finish(text);
    }

    /** Splits on LF, dropping one CR before each LF (RFC 8461 §3.2 with erratum 6253: LF or CRLF). */
    static List<String> splitLines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start <= text.length()) {
            int lf = text.indexOf('\n', start);
            int end = lf < 0 ? text.length() : lf;
            int contentEnd = lf > start && text.charAt(lf - 1) == '\r' ? lf - 1 : end;
            if (lf >= 0 || start < text.length()) {
                lines.add(text.substring(start, contentEnd));
            }
            if (lf < 0) {
                break;
            }
            start = lf + 1;
        }
        return lines;
    }

    /** Collects fields line by line; first occurrence of a non-repeated field wins (RFC 8461 §3.2). */
    private static final class Fields {
        private String version;
        private String mode;
        private String maxAge;
        private final List<MxPattern> mx = new ArrayList<>();
        private final Map<String, String> extensions = new LinkedHashMap<>();
        private final List<String> notes = new ArrayList<>();

        Optional<String> accept(int number, String line) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                return Optional.of(number == 1 ? NOT_VERSION_FIRST
                        : "line " + number + " is not a \"name: value\" field");
            }
            String name = line.substring(0, colon);
            if (!isFieldName(name)) {
                return Optional.of(number == 1 ? NOT_VERSION_FIRST : "line " + number + " has an invalid field name");
            }
            // RFC 8461 §3.2 (as issue 3 reads it, and every published example shows): the version comes first.
            if (number == 1 && !name.equals("version")) {
                return Optional.of(NOT_VERSION_FIRST + ", not \"" + name + "\"");
            }
            String value = trimWsp(line.substring(colon + 1));
            if (!isValue(value)) {
                return Optional.of("line " + number + " (" + name + ") has an empty or invalid value");
            }
            return store(number, name, value);
        }

        private Optional<String> store(int number, String name, String value) {
            switch (name) {
                case "version" -> version = first(name, version, value);
                case "mode" -> mode = first(name, mode, value);
                case "max_age" -> maxAge = first(name, maxAge, value);
                case "mx" -> {
                    Optional<MxPattern> pattern = MxPattern.parse(value);
                    if (pattern.isEmpty()) {
                        return Optional.of("line " + number + ": mx \"" + value + "\" is not [\"*.\"] Domain");
                    }
                    if (!DomainNames.isAscii(value)) {
                        notes.add("mx " + value + " is not in A-label form; compared as " + pattern.get());
                    }
                    mx.add(pattern.get());
                }
                default -> extensions.putIfAbsent(name, value);
            }
            return Optional.empty();
        }

        // RFC 8461 §3.2: "all entries except for the first SHALL be ignored".
        private String first(String name, String current, String value) {
            if (current == null) {
                return value;
            }
            notes.add("duplicate " + name + " field ignored: " + value);
            return current;
        }

        ParseResult finish(String text) {
            if (version == null || !version.equals("STSv1")) {
                return new ParseResult.Invalid(version == null
                        ? "the version field is missing" : "version is \"" + version + "\", not STSv1");
            }
            if (mode == null) {
                return new ParseResult.Invalid("the mode field is missing");
            }
            Optional<Mode> parsedMode = Mode.fromToken(mode);
            if (parsedMode.isEmpty()) {
                return new ParseResult.Invalid("mode is \"" + mode + "\", not enforce, testing or none");
            }
            if (maxAge == null) {
                return new ParseResult.Invalid("the max_age field is missing");
            }
            if (!isDigits(maxAge)) {
                return new ParseResult.Invalid("max_age \"" + maxAge + "\" is not 1 to 10 digits");
            }
            if (mx.isEmpty() && parsedMode.get() != Mode.NONE) {
                return new ParseResult.Invalid("no mx field, required unless mode is none");
            }
            return new ParseResult.Valid(new PolicyDocument(
                    parsedMode.get(), mx, clampMaxAge(Long.parseLong(maxAge)), extensions, notes, text));
        }

        // RFC 8461 §3.2 (erratum 7282): values above one year are clamped, not rejected (Decision 2).
        private long clampMaxAge(long seconds) {
            if (seconds > MAX_AGE_LIMIT) {
                notes.add("max_age " + seconds + " is above " + MAX_AGE_LIMIT + "; clamped");
                return MAX_AGE_LIMIT;
            }
            return seconds;
        }
    }

    // RFC 8461 §3.2: sts-policy-ext-name = alphanum 0*31(alphanum / "_" / "-" / ".").
    static boolean isFieldName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || !isAlphanumeric(name.charAt(0))) {
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

    // RFC 8461 §3.2: a value is vchar [*(SP / vchar) vchar]; vchar is %x21-7E or UTF-8, never a CTL.
    private static boolean isValue(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || c >= 0x80 && c <= 0x9f || c == '\ufffd') {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigits(String value) {
        if (value.isEmpty() || value.length() > MAX_AGE_DIGITS) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    static boolean isAlphanumeric(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    // RFC 8461 §3.2: *WSP after the delimiter and before the terminator; WSP is space or tab.
    private static String trimWsp(String value) {
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

    static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }
}
