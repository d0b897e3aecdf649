package org.stsrelay.dane;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The SMTP client's trust decision for one connection to a host with a TLSA RRset: with usable records it
 * lets the handshake finish only when {@link DaneVerifier} authenticates the chain (RFC 7672 §3.2); with none
 * usable it accepts any chain, since TLS is still mandatory (§2.2). Either way it keeps the {@link DaneResult}.
 */
public final class DaneTrustManager extends X509ExtendedTrustManager {

    /** Aborts the handshake with a reason; the reason is the news, so there is no stack trace to log. */
    private static final class Refusal extends CertificateException {

        private static final long serialVersionUID = 1L;

        Refusal(String reason) {
            super(reason);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private final Optional<DaneVerifier> verifier;
    private final List<TlsaRecord> usable;
    private final ReferenceIdentifiers identifiers;
    private volatile DaneResult result;

    private DaneTrustManager(Optional<DaneVerifier> verifier, List<TlsaRecord> usable,
                             ReferenceIdentifiers identifiers) {
        this.verifier = verifier;
        this.usable = List.copyOf(usable);
        this.identifiers = identifiers;
    }

    /** A trust manager that authenticates with the {@code usable} records of an RRset (RFC 7672 §3.2). */
    public static DaneTrustManager authenticating(DaneVerifier verifier, TlsaRrset.Usable rrset,
                                                  ReferenceIdentifiers identifiers) {
        return new DaneTrustManager(Optional.of(verifier), rrset.usable(), identifiers);
    }

    /** A trust manager for an RRset without usable records: TLS without authentication (RFC 7672 §2.2). */
    public static DaneTrustManager unauthenticated(ReferenceIdentifiers identifiers) {
        return new DaneTrustManager(Optional.empty(), List.of(), identifiers);
    }

    /**
     * Returns a fresh TLS context trusting only through this manager, for
     * {@code ClientEngines.create(context(), serverName(), port)}; one per connection, so no session
     * authenticated under other records, or under PKIX, is ever resumed in its place.
     */
    public SSLContext context() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {this}, null);
            return context;
        } catch (GeneralSecurityException unavailable) {
            throw new IllegalStateException("TLS is unavailable", unavailable);
        }
    }

    /** The TLSA base domain, which the client must send as SNI (RFC 7672 §8.1). */
    public String serverName() {
        return identifiers.tlsaBaseDomain();
    }

    /** What DANE made of the server's chain, once the handshake has reached the certificate. */
    public Optional<DaneResult> result() {
        return Optional.ofNullable(result);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        decide(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        decide(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        decide(chain);
    }

    private void decide(X509Certificate[] chain) throws CertificateException {
        List<X509Certificate> presented = chain == null ? List.of() : Arrays.asList(chain);
        DaneResult decided = verifier
                .map(v -> v.verify(presented, usable, identifiers))
                .orElseGet(() -> new DaneResult.Unauthenticated(presented.isEmpty() ? "no certificate"
                        : presented.get(0).getSubjectX500Principal().getName()));
        result = decided;
        // RFC 7672 §3.2: "Messages MUST NOT be delivered via the SMTP server if authentication fails."
        if (decided instanceof DaneResult.Refused refused) {
            throw new Refusal("DANE authentication failed (" + refused.failure().resultType() + "): "
                    + refused.detail());
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new Refusal("the relay's SMTP client never accepts clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new Refusal("the relay's SMTP client never accepts clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new Refusal("the relay's SMTP client never accepts clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
