package org.stsrelay.inbound;

/** Why received DATA content cannot be accepted; the first one found wins. */
enum DataProblem {
    NONE(null, Reason.NONE),
    // RFC 5321 §2.3.8: CR and LF only ever occur together as CRLF; see package-info on smuggling.
    BARE_LF(Replies.BAD_CONTENT.with("bare LF in message content (RFC 5321 §2.3.8)"), Reason.BARE_LF),
    BARE_CR(Replies.BAD_CONTENT.with("bare CR in message content (RFC 5321 §2.3.8)"), Reason.BARE_CR),
    NUL(Replies.BAD_CONTENT.with("NUL character in message content"), Reason.NUL),
    LINE_TOO_LONG(Replies.DATA_LINE_TOO_LONG, Reason.LINE_TOO_LONG),
    TOO_BIG(Replies.TOO_BIG, Reason.TOO_BIG),
    LOOP(Replies.MAIL_LOOP, Reason.LOOP);

    private final Reply reply;
    private final Reason reason;

    DataProblem(Reply reply, Reason reason) {
        this.reply = reply;
        this.reason = reason;
    }

    /** The rejection sent instead of {@code 250}. */
    Reply reply() {
        return reply;
    }

    /** The metric and log reason. */
    Reason reason() {
        return reason;
    }
}
