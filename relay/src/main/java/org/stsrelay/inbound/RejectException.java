package org.stsrelay.inbound;

/** A command that cannot be accepted, carrying the reply that says why; control flow, so no stack trace. */
final class RejectException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Reply reply;

    RejectException(Reply reply) {
        super(reply.toString(), null, false, false);
        this.reply = reply;
    }

    /** The reply to send. */
    Reply reply() {
        return reply;
    }
}
