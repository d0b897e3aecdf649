package org.stsrelay.delivery;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.stsrelay.policy.fetch.CertificateInfo;

/**
 * Records the certificate an MX presents and whether it validates, but lets the handshake finish either way:
 * a probe reports what it saw and sends no mail, so it never needs to refuse.
 */
final class ObservingTrustManager extends X509ExtendedTrustManager {

    private final X509TrustManager pkix;
    private final CertificateCheck check;
    private final String host;
    private volatile CertificateInfo certificate;
    private volatile String problem;

    ObservingTrustManager(X509TrustManager pkix, String host, Clock clock) {
        this.pkix = pkix;
        this.check = new CertificateCheck(pkix, clock);
        this.host = host;
    }

    Optional<CertificateInfo> certificate() {
        return Optional.ofNullable(certificate);
    }

    Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        observe(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        observe(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        observe(chain, authType);
    }

    private void observe(X509Certificate[] chain, String authType) {
        if (chain != null && chain.length > 0) {
            certificate = CertificateInfo.of(chain);
        }
        problem = check.check(chain, host).map(TlsResult.Failure::reasonCode).orElse(null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("a probe never accepts clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("a probe never accepts clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a probe never accepts clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }
}
