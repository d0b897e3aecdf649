package org.stsrelay.inbound;

/** When STARTTLS may be accepted (RFC 3207 §4). */
final class StartTls {

    private StartTls() {}

    /** Throws {@link RejectException} with the reply when STARTTLS cannot be accepted now. */
    static void check(String arg, boolean offered, boolean active, boolean authenticated, Phase phase) {
        if (!offered) {
            throw new RejectException(Replies.NOT_IMPLEMENTED);
        }
        if (!arg.isEmpty()) {
            throw new RejectException(Replies.NO_ARGUMENTS);
        }
        if (active) {
            throw new RejectException(Replies.ALREADY_TLS);
        }
        if (authenticated) {
            throw new RejectException(Replies.STARTTLS_AFTER_AUTH);
        }
        if (phase == Phase.CONNECTED) {
            throw new RejectException(Replies.SEND_HELO_FIRST);
        }
        if (phase != Phase.READY) {
            throw new RejectException(Replies.NOT_IN_TRANSACTION);
        }
    }
}
