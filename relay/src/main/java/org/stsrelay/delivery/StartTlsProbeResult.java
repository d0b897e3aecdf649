package org.stsrelay.delivery;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.stsrelay.policy.fetch.CertificateInfo;

/**
 * What a STARTTLS probe of one MX host observed, step by step; absent values were never reached.
 *
 * @param host the MX host name dialled (also the SNI name and the name the certificate must carry)
 * @param address the address and port connected to
 * @param banner the server's 220 greeting text
 * @param startTlsOffered whether EHLO advertised STARTTLS
 * @param tlsProtocol the negotiated TLS version
 * @param cipherSuite the negotiated cipher suite
 * @param certificate the server's certificate as presented
 * @param certificateProblem why the certificate does not validate (PKIX chain, expiry or host name), if it does not
 * @param chain the certificates the server presented, leaf first, even when PKIX rejects them; empty without TLS
 * @param failure why the probe stopped early (connection, timeout, reply, handshake), if it did
 */
public record StartTlsProbeResult(
        String host,
        String address,
        Optional<String> banner,
        boolean startTlsOffered,
        Optional<String> tlsProtocol,
        Optional<String> cipherSuite,
        Optional<CertificateInfo> certificate,
        Optional<String> certificateProblem,
        List<X509Certificate> chain,
        Optional<String> failure) {

    /** Copies the chain. */
    public StartTlsProbeResult {
        chain = List.copyOf(chain);
    }

    /** Tells whether the TLS handshake completed. */
    public boolean tlsEstablished() {
        return tlsProtocol.isPresent();
    }

    /** Tells whether TLS was established with a certificate that validates for {@link #host}. */
    public boolean validated() {
        return tlsEstablished() && certificate.isPresent() && certificateProblem.isEmpty();
    }

    /** Tells whether the probe never got an SMTP greeting (no connection, or silence): nothing could be checked. */
    public boolean unreachable() {
        return banner.isEmpty();
    }
}
