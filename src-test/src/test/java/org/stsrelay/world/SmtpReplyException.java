package org.stsrelay.world;

import java.io.IOException;

/** The server answered a command with a reply other than the one the client needed. */
public final class SmtpReplyException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient SmtpReply reply;

    public SmtpReplyException(String command, SmtpReply reply) {
        super(command + " answered " + reply);
        this.reply = reply;
    }

    /** The reply the server gave. */
    public SmtpReply reply() {
        return reply;
    }
}
