package org.stsrelay.delivery;

import java.util.Optional;

/** What STARTTLS at one MX came to: the facts the policy decision is made on. */
sealed interface MxObservation {

    /** The EHLO reply did not list STARTTLS (RFC 3207 §4). */
    record NoStartTls() implements MxObservation {
    }

    /** STARTTLS was offered but refused, or the handshake itself failed. */
    record HandshakeFailed(String reason) implements MxObservation {
    }

    /** The handshake completed; {@code problem} says why the certificate is not valid for the MX, if it is not. */
    record Tls(String protocol, String cipher, Optional<TlsResult.Failure> problem) implements MxObservation {
    }
}
