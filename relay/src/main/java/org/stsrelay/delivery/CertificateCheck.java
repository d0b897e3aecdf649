package org.stsrelay.delivery;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.X509TrustManager;
import org.stsrelay.policy.fetch.CertificateInfo;
import org.stsrelay.policy.fetch.CertificateNames;

/**
 * Classifies an MX certificate chain exactly as RFC 8460 §4.3.1 asks: expired, not yet valid, not trusted, or
 * not for the host dialled. Runs after the handshake on the chain the session holds, so a resumed session is
 * judged like a fresh one.
 */
final class CertificateCheck {

    private final Set<TrustAnchor> anchors;
    private final Clock clock;

    CertificateCheck(X509TrustManager pkix, Clock clock) {
        Set<TrustAnchor> set = new HashSet<>();
        for (X509Certificate anchor : pkix.getAcceptedIssuers()) {
            set.add(new TrustAnchor(anchor, null));
        }
        this.anchors = Set.copyOf(set);
        this.clock = clock;
    }

    /** Returns why {@code chain} (leaf first) is not valid for {@code host}, or empty when it is. */
    Optional<TlsResult.Failure> check(X509Certificate[] chain, String host) {
        if (chain == null || chain.length == 0) {
            return failure(TlsResultType.VALIDATION_FAILURE, "the server presented no certificate");
        }
        CertificateInfo leaf = CertificateInfo.of(chain);
        Instant now = clock.instant();
        // RFC 8461 §4.2: the certificate "MUST not be expired"; RFC 8460 §4.3.1 gives this its own type.
        if (leaf.notAfter().isBefore(now)) {
            return failure(
                    TlsResultType.CERTIFICATE_EXPIRED,
                    "the certificate expired on "
                            + leaf.notAfter().atOffset(ZoneOffset.UTC).toLocalDate());
        }
        // RFC 8460 §4.3.1: certificate-expired is a certificate that "has expired"; one whose validity has not
        // begun has not, so it takes the general validation-failure (§4.3.3) and the reason names notBefore.
        if (leaf.notBefore().isAfter(now)) {
            return failure(TlsResultType.VALIDATION_FAILURE, notYetValid(leaf.notBefore()));
        }
        Optional<TlsResult.Failure> path = validatePath(chain, now, leaf);
        if (path.isPresent()) {
            return path;
        }
        // RFC 8461 §4.2 with RFC 6125 §6.4: a DNS-ID must name the MX host dialled; the CN never counts.
        if (!CertificateNames.matches(leaf.dnsNames(), host)) {
            return failure(
                    TlsResultType.CERTIFICATE_HOST_MISMATCH,
                    "the certificate is valid for " + leaf.dnsNames() + ", not " + host);
        }
        return Optional.empty();
    }

    private Optional<TlsResult.Failure> validatePath(X509Certificate[] chain, Instant now, CertificateInfo leaf) {
        try {
            PKIXParameters parameters = new PKIXParameters(anchors);
            // RFC 8461 §4.2: revocation checks are a MAY; they would make delivery depend on OCSP/CRL hosts.
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(withoutRoot(chain)), parameters);
            return Optional.empty();
        } catch (CertPathValidatorException invalid) {
            if (invalid.getReason() == BasicReason.EXPIRED) {
                return failure(
                        TlsResultType.CERTIFICATE_EXPIRED,
                        "a certificate in the chain has expired: " + invalid.getMessage());
            }
            if (invalid.getReason() == BasicReason.NOT_YET_VALID) {
                return failure(
                        TlsResultType.VALIDATION_FAILURE,
                        "a certificate in the chain is not yet valid: " + invalid.getMessage());
            }
            return untrusted(leaf, invalid.getMessage());
        } catch (GeneralSecurityException | IllegalArgumentException unusable) {
            return untrusted(leaf, unusable.getMessage());
        }
    }

    /** A self-signed certificate at the end of a longer chain is the root; PKIX wants the path without it. */
    private static List<X509Certificate> withoutRoot(X509Certificate[] chain) {
        List<X509Certificate> path = new ArrayList<>(Arrays.asList(chain));
        X509Certificate last = path.get(path.size() - 1);
        if (path.size() > 1 && last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
            path.remove(path.size() - 1);
        }
        return path;
    }

    /** The reason code for a leaf whose validity starts after now, e.g. "... (notBefore 2027-01-01T00:00:00Z)". */
    static String notYetValid(Instant notBefore) {
        return "certificate not yet valid (notBefore " + notBefore + ")";
    }

    private static Optional<TlsResult.Failure> untrusted(CertificateInfo leaf, String why) {
        String reason = leaf.subject().equals(leaf.issuer()) && leaf.chainLength() == 1
                ? "the certificate is self-signed (" + leaf.subject() + ")"
                : "the certificate (issuer " + leaf.issuer() + ") does not chain to a trusted CA: " + why;
        return failure(TlsResultType.CERTIFICATE_NOT_TRUSTED, reason);
    }

    private static Optional<TlsResult.Failure> failure(TlsResultType type, String reason) {
        return Optional.of(new TlsResult.Failure(type, reason));
    }
}
