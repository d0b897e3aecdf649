package org.stsrelay.inbound;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Splits a MAIL FROM / RCPT TO argument into its path and its {@code esmtp-param}s (RFC 5321 §4.1.2). */
record PathArguments(String path, List<Param> params) {

    /** Compiled once: String.split would compile this pattern again for every MAIL and RCPT. */
    private static final Pattern SPACES = Pattern.compile(" +");

    /** One {@code esmtp-keyword ["=" esmtp-value]}, keyword upper-cased; value null when absent. */
    record Param(String keyword, String value) {

        /** The value upper-cased to compare with keywords such as {@code 8BITMIME}; "" when absent or not ASCII. */
        String keywordValue() {
            // Unicode upper-casing maps some non-ASCII letters to ASCII ones (U+017F to "S", U+0131 to
            // "I"), so only an ASCII value may be compared this way.
            return value == null || !Mailbox.isAscii(value) ? "" : value.toUpperCase(Locale.ROOT);
        }
    }

    /**
     * Parses {@code <prefix><path> [SP params]}, e.g. {@code FROM:<a@b> SIZE=10}; throws with
     * {@code badPath} when the path is malformed and 501 5.5.4 when the prefix or a parameter is.
     */
    static PathArguments parse(String argument, String prefix, Reply badPath) {
        if (!argument.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw new RejectException(Replies.SYNTAX);
        }
        // Some clients put a space after the colon; RFC 5321 §4.1.1.2 does not, but it is harmless.
        String rest = argument.substring(prefix.length()).stripLeading();
        if (!rest.startsWith("<")) {
            throw new RejectException(badPath);
        }
        int close = closingBracket(rest);
        if (close < 0) {
            throw new RejectException(badPath);
        }
        return new PathArguments(withoutSourceRoute(rest.substring(1, close)), params(rest.substring(close + 1)));
    }

    /** The index of the ">" closing a path that starts with "<", skipping quoted text; -1 when there is none. */
    static int closingBracket(String text) {
        boolean quoted = false;
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    // RFC 5321 §4.1.2 and Appendix C: a source route (A-d-l) is accepted and ignored.
    private static String withoutSourceRoute(String path) {
        if (path.startsWith("@")) {
            int colon = path.indexOf(':');
            return colon < 0 ? path : path.substring(colon + 1);
        }
        return path;
    }

    private static List<Param> params(String text) {
        List<Param> params = new ArrayList<>();
        if (!text.isEmpty() && !text.startsWith(" ")) {
            throw new RejectException(Replies.SYNTAX);
        }
        for (String word : SPACES.split(text.strip())) {
            if (word.isEmpty()) {
                continue;
            }
            int eq = word.indexOf('=');
            String name = eq < 0 ? word : word.substring(0, eq);
            // RFC 5321 §4.1.2: esmtp-keyword is ASCII letters, digits and "-"; checked before
            // upper-casing, which would turn U+017F or U+0131 into an ASCII letter.
            if (name.isEmpty() || !name.chars().allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c) || c == '-'))) {
                throw new RejectException(Replies.SYNTAX);
            }
            String keyword = name.toUpperCase(Locale.ROOT);
            if (params.stream().anyMatch(p -> p.keyword().equals(keyword))) {
                throw new RejectException(Replies.SYNTAX.with(": duplicate parameter " + keyword));
            }
            params.add(new Param(keyword, eq < 0 ? null : word.substring(eq + 1)));
        }
        return params;
    }
}
