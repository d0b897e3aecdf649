package org.stsrelay.delivery;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/** What STARTTLS at one MX came to: the facts the policy decision is made on. */
sealed interface MxObservation {

    /** The EHLO reply did not list STARTTLS (RFC 3207 §4). */
    record NoStartTls() implements MxObservation {}

    /** STARTTLS was offered but refused, or the handshake itself failed. */
    record HandshakeFailed(String reason) implements MxObservation {}

    /**
     * The handshake completed; {@code problem} says why the certificate is not valid for the MX under PKIX
     * (RFC 8461 §4.2), if it is not; {@code chain} is what the server presented, leaf first, for DANE.
     */
    record Tls(String protocol, String cipher, Optional<TlsResult.Failure> problem, List<X509Certificate> chain)
            implements MxObservation {

        /** Copies the chain. */
        public Tls {
            chain = List.copyOf(chain);
        }

        /** A session whose chain is not needed (no DANE). */
        Tls(String protocol, String cipher, Optional<TlsResult.Failure> problem) {
            this(protocol, cipher, problem, List.of());
        }
    }
}
