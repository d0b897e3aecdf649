package org.stsrelay.delivery;

import java.util.Optional;

/**
 * The policy's answer for one MX: what to do with the connection, and the TLS failure to record (empty for a
 * policy-compliant session).
 */
record Verdict(Action action, Optional<TlsResult.Failure> failure) {

    /** What happens next at this MX. */
    enum Action {
        /** Deliver over TLS with a certificate valid for the MX. */
        DELIVER_VERIFIED,
        /** Deliver over TLS whose certificate did not validate (testing, none, no policy). */
        DELIVER_UNVERIFIED,
        /** Deliver in plain text on this connection: STARTTLS was not offered. */
        DELIVER_PLAINTEXT,
        /** The handshake failed and the connection is unusable: reconnect and deliver in plain text. */
        RECONNECT_PLAINTEXT,
        /** Enforce: QUIT, send nothing, try the next MX. */
        REFUSE
    }

    boolean refused() {
        return action == Action.REFUSE;
    }
}
