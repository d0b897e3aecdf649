package org.stsrelay.inbound;

import java.util.Locale;

/** One parsed command line: its verb and the rest of the line (RFC 5321 §4.1.1). */
record Command(Verb verb, String argument) {

    /** The verbs the server knows; everything else is {@link #UNKNOWN}. */
    enum Verb {
        EHLO,
        HELO,
        MAIL,
        RCPT,
        DATA,
        RSET,
        NOOP,
        QUIT,
        VRFY,
        HELP,
        STARTTLS,
        AUTH,
        UNKNOWN
    }

    /** Splits a line at the first space; verbs are case-insensitive (RFC 5321 §2.4). */
    static Command parse(String line) {
        int space = line.indexOf(' ');
        String word = space < 0 ? line : line.substring(0, space);
        String argument = space < 0 ? "" : line.substring(space + 1).strip();
        // Verbs are ASCII; upper-casing first would make "\u017FTARTTLS" (U+017F) a STARTTLS.
        Verb verb = Mailbox.isAscii(word) ? verbOf(word.toUpperCase(Locale.ROOT)) : Verb.UNKNOWN;
        return new Command(verb, argument);
    }

    /**
     * Whether the line is free of control characters and invalid UTF-8 (decoded as U+FFFD); such
     * bytes have no place in a command and must never reach a header or a log line.
     */
    static boolean isClean(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 || c == 0x7f || c == 0xfffd) {
                return false;
            }
        }
        return true;
    }

    private static Verb verbOf(String word) {
        try {
            Verb verb = Verb.valueOf(word);
            return verb == Verb.UNKNOWN ? Verb.UNKNOWN : verb;
        } catch (IllegalArgumentException e) {
            return Verb.UNKNOWN;
        }
    }
}
