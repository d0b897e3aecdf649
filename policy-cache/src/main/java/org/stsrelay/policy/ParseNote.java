package org.stsrelay.policy;

import java.util.Objects;

/**
 * Something a parser tolerated in a TXT record or a policy file that a strict reading flags, for {@code check}.
 *
 * @param kind what was tolerated
 * @param message what was found and how it was read, in plain words
 */
public record ParseNote(Kind kind, String message) {

    /** What was tolerated; a sender fails open, so each is read leniently and only reported. */
    public enum Kind {
        /** A non-repeated field appeared again; RFC 8461 §3.2: "all entries except for the first SHALL be ignored". */
        DUPLICATE_FIELD,
        /** Whitespace between the version and {@code ;}: the ABNF allows it, the "begin with v=...;" prose does not. */
        SPACE_BEFORE_DELIMITER,
        /** More than one {@code rua} field in a TLS-RPT record: every one is used. */
        SEVERAL_RUA_FIELDS,
        /** The policy does not open with its {@code version} field; RFC 8461 §3.2 sets no order. */
        VERSION_NOT_FIRST,
        /** Blank lines before the first policy field. */
        LEADING_BLANK_LINES,
        /** Whitespace at the end of policy lines, or blank lines after the last field. */
        TRAILING_WHITESPACE,
        /** An {@code mx} pattern ending in a dot; the dot is dropped. */
        MX_TRAILING_DOT,
        /** An {@code mx} pattern in U-label form; RFC 8461 §3.2 wants the A-label, so it is converted. */
        MX_U_LABEL,
        /** A {@code max_age} above 31557600; clamped here, but other senders discard such a policy. */
        MAX_AGE_ABOVE_LIMIT
    }

    /** Checks that both parts are present. */
    public ParseNote {
        Objects.requireNonNull(kind, "kind");
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("a parse note needs a message");
        }
    }
}
