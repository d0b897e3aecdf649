package org.stsrelay.policy.fetch;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.stsrelay.policy.MxPattern;

/**
 * Validates one policy host's certificate and remembers what it saw, so a failure can be explained.
 * One instance per fetch; only the client-side engine check is used.
 */
final class RecordingTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager pkix;
    private final String host;
    private volatile X509Certificate[] chain;
    private volatile String failure;
    private final Clock clock;

    RecordingTrustManager(X509ExtendedTrustManager pkix, String host, Clock clock) {
        this.pkix = pkix;
        this.host = host;
        this.clock = clock;
    }

    Optional<CertificateInfo> certificate() {
        X509Certificate[] seen = chain;
        return seen == null || seen.length == 0 ? Optional.empty() : Optional.of(CertificateInfo.of(seen));
    }

    Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] presented, String authType, SSLEngine engine)
            throws CertificateException {
        chain = presented.clone();
        try {
            // RFC 8461 §3.3: chain to a trusted root, non-expired; the engine also checks the name ("HTTPS").
            pkix.checkServerTrusted(presented, authType, engine);
        } catch (CertificateException invalid) {
            failure = describe(presented, invalid);
            throw invalid;
        }
        // RFC 8461 §3.3 and RFC 6125 §6.4.4: DNS-IDs only, never the CN; "*" only as the whole left-most label.
        if (!namesHost(CertificateInfo.of(presented))) {
            failure = mismatch(CertificateInfo.of(presented));
            throw new CertificateException(failure);
        }
    }

    private boolean namesHost(CertificateInfo leaf) {
        for (String dnsName : leaf.dnsNames()) {
            Optional<MxPattern> pattern = MxPattern.parse(dnsName);
            if (pattern.isPresent() && pattern.get().matches(host)) {
                return true;
            }
        }
        return false;
    }

    private String describe(X509Certificate[] presented, CertificateException invalid) {
        CertificateInfo leaf = CertificateInfo.of(presented);
        Date now = Date.from(clock.instant());
        if (presented[0].getNotAfter().before(now) || hasCause(invalid, CertificateExpiredException.class)) {
            return "certificate for " + host + " expired "
                    + leaf.notAfter().atOffset(ZoneOffset.UTC).toLocalDate();
        }
        if (presented[0].getNotBefore().after(now) || hasCause(invalid, CertificateNotYetValidException.class)) {
            return "certificate for " + host + " is not yet valid (notBefore " + leaf.notBefore() + ")";
        }
        String message = String.valueOf(invalid.getMessage());
        if (message.contains("subject alternative") || message.contains("No name matching")) {
            return mismatch(leaf);
        }
        return "certificate for " + host + " (issuer " + leaf.issuer() + ") does not chain to a trusted CA: " + message;
    }

    private String mismatch(CertificateInfo leaf) {
        return "certificate for " + host + " is valid for " + leaf.dnsNames() + ", not " + host;
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] presented, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("policy fetches use SSLEngine only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] presented, String authType) throws CertificateException {
        throw new CertificateException("policy fetches use SSLEngine only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] presented, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("a policy fetcher never accepts clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] presented, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("a policy fetcher never accepts clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] presented, String authType) throws CertificateException {
        throw new CertificateException("a policy fetcher never accepts clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }
}
