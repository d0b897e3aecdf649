package org.stsrelay.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses MTA-STS policy files (RFC 8461 §3.2); never throws on any input. The parse is lenient where the text has
 * one clear reading (a sender fails open, so a rejected policy protects nothing) and notes each thing it tolerated.
 */
public final class PolicyParser {

    /** RFC 8461 §3.2: the largest max_age a policy may carry, in seconds (one year). */
    public static final long MAX_AGE_LIMIT = 31_557_600L;

    private static final int MAX_AGE_DIGITS = 10;

    private PolicyParser() {}

    /** Parses {@code text}, a policy file decoded from UTF-8. */
    public static ParseResult parse(String text) {
        List<String> lines = splitLines(text);
        int first = 0;
        while (first < lines.size() && lines.get(first).isBlank()) {
            first++;
        }
        int last = lines.size();
        while (last > first && lines.get(last - 1).isBlank()) {
            last--;
        }
        if (first == last) {
            return new ParseResult.Invalid("the policy is empty");
        }
        Fields fields = new Fields(first + 1);
        for (int i = first; i < last; i++) {
            Optional<String> error = fields.accept(i + 1, lines.get(i));
            if (error.isPresent()) {
                return new ParseResult.Invalid(error.get());
            }
        }
        return fields.finish(text, first, lines.size() - last);
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
        private final int firstLine;
        private String version;
        private int versionLine;
        private String mode;
        private String maxAge;
        private final List<MxPattern> mx = new ArrayList<>();
        private final Map<String, String> extensions = new LinkedHashMap<>();
        private final List<Integer> trailingWhitespace = new ArrayList<>();
        private final List<ParseNote> notes = new ArrayList<>();

        Fields(int firstLine) {
            this.firstLine = firstLine;
        }

        // RFC 8461 §3.2: every line is "name:" *WSP value *WSP; a line that is not has no clear reading.
        Optional<String> accept(int number, String line) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                return Optional.of("line " + number + " is not a \"name: value\" field");
            }
            String name = line.substring(0, colon);
            if (!FieldSyntax.isFieldName(name)) {
                return Optional.of("line " + number + " has an invalid field name");
            }
            String value = FieldSyntax.trimWsp(line.substring(colon + 1));
            if (!isValue(value)) {
                return Optional.of("line " + number + " (" + name + ") has an empty or invalid value");
            }
            if (FieldSyntax.isWsp(line.charAt(line.length() - 1))) {
                trailingWhitespace.add(number);
            }
            return store(number, name, value);
        }

        private Optional<String> store(int number, String name, String value) {
            switch (name) {
                case "version" -> {
                    versionLine = version == null ? number : versionLine;
                    version = first(number, name, version, value);
                }
                case "mode" -> mode = first(number, name, mode, value);
                case "max_age" -> maxAge = first(number, name, maxAge, value);
                case "mx" -> {
                    Optional<MxPattern> pattern = MxPattern.parse(value);
                    if (pattern.isEmpty()) {
                        return Optional.of("line " + number + ": mx \"" + value + "\" is not [\"*.\"] Domain");
                    }
                    noteMx(number, value, pattern.get());
                    mx.add(pattern.get());
                }
                default -> {
                    String kept = extensions.putIfAbsent(name, value);
                    if (kept != null) {
                        first(number, name, kept, value);
                    }
                }
            }
            return Optional.empty();
        }

        // RFC 8461 §3.2: "all entries except for the first SHALL be ignored".
        private String first(int number, String name, String current, String value) {
            if (current == null) {
                return value;
            }
            notes.add(new ParseNote(
                    ParseNote.Kind.DUPLICATE_FIELD,
                    "line " + number + ": duplicate " + name
                            + " field ignored: \"" + name + ": " + current + "\" is used, \"" + value
                            + "\" is not (RFC 8461 §3.2: the first entry wins); publish it once"));
            return current;
        }

        private void noteMx(int number, String value, MxPattern pattern) {
            // RFC 8461 §3.2: mx is a Domain (RFC 5321 §4.1.2), which has no trailing dot; the dot reads clearly.
            if (value.endsWith(".")) {
                notes.add(new ParseNote(
                        ParseNote.Kind.MX_TRAILING_DOT,
                        "line " + number + ": mx " + value
                                + " ends with a dot; read as " + pattern
                                + " (RFC 8461 §3.2: a Domain has no trailing dot, "
                                + "stricter senders match no MX against it)"));
            }
            if (!DomainNames.isAscii(value)) {
                notes.add(new ParseNote(
                        ParseNote.Kind.MX_U_LABEL,
                        "line " + number + ": mx " + value
                                + " is not in A-label form; compared as " + pattern + " (RFC 8461 §3.2: mx MUST be the "
                                + "Punycode A-label)"));
            }
        }

        ParseResult finish(String text, int leadingBlank, int trailingBlank) {
            Optional<String> missing = missingField();
            if (missing.isPresent()) {
                return new ParseResult.Invalid(missing.get());
            }
            Mode parsedMode = Mode.fromToken(mode).orElseThrow();
            if (mx.isEmpty() && parsedMode != Mode.NONE) {
                return new ParseResult.Invalid("no mx field, required unless mode is none");
            }
            noteLayout(leadingBlank, trailingBlank);
            return new ParseResult.Valid(
                    new PolicyDocument(parsedMode, mx, clampMaxAge(Long.parseLong(maxAge)), extensions, notes, text));
        }

        private Optional<String> missingField() {
            if (version == null || !version.equals("STSv1")) {
                return Optional.of(
                        version == null ? "the version field is missing" : "version is \"" + version + "\", not STSv1");
            }
            if (mode == null) {
                return Optional.of("the mode field is missing");
            }
            if (Mode.fromToken(mode).isEmpty()) {
                return Optional.of("mode is \"" + mode + "\", not enforce, testing or none");
            }
            if (maxAge == null) {
                return Optional.of("the max_age field is missing");
            }
            if (!isDigits(maxAge)) {
                return Optional.of("max_age \"" + maxAge + "\" is not 1 to 10 digits");
            }
            return Optional.empty();
        }

        // RFC 8461 §3.2: the ABNF starts with a field and ends with at most one terminator; trailing WSP on a
        // line is allowed by it, but a value compared as "enforce " breaks naive parsers, so it is worth a note.
        private void noteLayout(int leadingBlank, int trailingBlank) {
            if (versionLine != firstLine) {
                notes.add(new ParseNote(
                        ParseNote.Kind.VERSION_NOT_FIRST,
                        "the version field is on line "
                                + versionLine + ", not first; RFC 8461 §3.2 sets no order, but every example puts "
                                + "\"version: STSv1\" first and a stricter parser may expect it there"));
            }
            if (leadingBlank > 0) {
                notes.add(new ParseNote(
                        ParseNote.Kind.LEADING_BLANK_LINES,
                        leadingBlank + " blank line(s) before the first field; RFC 8461 §3.2 allows none"));
            }
            if (!trailingWhitespace.isEmpty()) {
                notes.add(new ParseNote(
                        ParseNote.Kind.TRAILING_WHITESPACE,
                        "whitespace at the end of line(s) "
                                + String.join(
                                        ", ",
                                        trailingWhitespace.stream()
                                                .map(String::valueOf)
                                                .toList())
                                + "; some parsers keep it as part of the value"));
            }
            if (trailingBlank > 0) {
                notes.add(
                        new ParseNote(
                                ParseNote.Kind.TRAILING_WHITESPACE,
                                trailingBlank
                                        + " blank line(s) after the last field; RFC 8461 §3.2 allows one line terminator at the end"));
            }
        }

        // RFC 8461 §3.2 (erratum 7282): values above one year are clamped, not rejected.
        private long clampMaxAge(long seconds) {
            if (seconds > MAX_AGE_LIMIT) {
                notes.add(new ParseNote(
                        ParseNote.Kind.MAX_AGE_ABOVE_LIMIT,
                        "max_age " + seconds + " is above "
                                + MAX_AGE_LIMIT + " (one year, RFC 8461 §3.2); clamped to " + MAX_AGE_LIMIT
                                + " here, but other senders discard the policy"));
                return MAX_AGE_LIMIT;
            }
            return seconds;
        }
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
}
