package org.stsrelay.dane;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Authenticates a presented certificate chain with usable TLSA records (RFC 7672 §3.1, §3.2); pure apart from
 * the injected clock, which only dates the certificates below a DANE-TA(2) trust anchor.
 */
public final class DaneVerifier {

    /** How one record fared, so the closest miss can be reported when none matched. */
    private record Miss(DaneFailure failure, String detail) {}

    private final Clock clock;

    /** Creates a verifier that dates chains with {@code clock}. */
    public DaneVerifier(Clock clock) {
        this.clock = clock;
    }

    /**
     * Returns the first of {@code records} that authenticates {@code chain} (leaf first) for
     * {@code identifiers}, or the closest miss; unusable records (RFC 7672 §3.1.3) never match.
     */
    public DaneResult verify(List<X509Certificate> chain, List<TlsaRecord> records, ReferenceIdentifiers identifiers) {
        if (chain.isEmpty()) {
            return new DaneResult.Refused(DaneFailure.NO_CERTIFICATE, "the server presented no certificate");
        }
        List<Miss> misses = new ArrayList<>();
        for (TlsaRecord record : records) {
            Optional<Miss> miss = record.unusable().isPresent()
                    ? Optional.of(new Miss(DaneFailure.NO_MATCH, "unusable"))
                    : check(chain, record, identifiers);
            if (miss.isEmpty()) {
                return new DaneResult.Authenticated(record);
            }
            misses.add(new Miss(
                    miss.get().failure(),
                    record.presentation() + ": " + miss.get().detail()));
        }
        return refusal(misses);
    }

    private Optional<Miss> check(List<X509Certificate> chain, TlsaRecord record, ReferenceIdentifiers identifiers) {
        if (record.usage() == TlsaRecord.DANE_EE) {
            // RFC 7672 §3.1.1, §3.2.1: only the leaf counts; its names and validity dates are not checked.
            return matches(record, chain.get(0))
                    ? Optional.empty()
                    : Optional.of(new Miss(DaneFailure.NO_MATCH, "does not match the server certificate"));
        }
        // RFC 7672 §3.1.2: the trust anchor must be in the presented chain; try each certificate in it.
        Optional<Miss> closest = Optional.of(new Miss(DaneFailure.NO_MATCH, "matches no certificate in the chain"));
        for (int index = 0; index < chain.size(); index++) {
            if (matches(record, chain.get(index))) {
                Optional<Miss> miss = trustAnchored(chain, index, record.selector(), identifiers);
                if (miss.isEmpty()) {
                    return miss;
                }
                closest = miss;
            }
        }
        return closest;
    }

    private Optional<Miss> trustAnchored(
            List<X509Certificate> chain, int anchor, int selector, ReferenceIdentifiers identifiers) {
        Optional<Miss> path = validatePath(chain, anchor, selector);
        if (path.isPresent()) {
            return path;
        }
        // RFC 7672 §3.2.2: with DANE-TA(2) the leaf must name one of the reference identifiers.
        X509Certificate leaf = chain.get(0);
        if (!PresentedNames.match(leaf, identifiers)) {
            return Optional.of(new Miss(
                    DaneFailure.NAME_MISMATCH,
                    "the certificate is for " + PresentedNames.of(leaf) + ", not " + identifiers.all()));
        }
        return Optional.empty();
    }

    /**
     * Verifies the chain below the matched trust anchor: signatures, issuer linkage, CA constraints and the
     * validity dates of every certificate below the anchor. The anchor's own dates are not checked: it is a
     * trust anchor (RFC 5280 §6.1.1 (d) takes only its name and key), kept trusted by the DNSSEC-signed TLSA
     * record rather than by its notAfter, as RFC 7672 §3.1.1 reasons for DANE-EE.
     */
    private Optional<Miss> validatePath(List<X509Certificate> chain, int anchor, int selector) {
        if (anchor == 0) {
            return Optional.empty();
        }
        X509Certificate ta = chain.get(anchor);
        // RFC 7672 §3.1.2: with SPKI(1) the rest of the anchor certificate is mutable, so trust its key only.
        TrustAnchor trusted = selector == TlsaRecord.SPKI
                ? new TrustAnchor(ta.getSubjectX500Principal(), ta.getPublicKey(), null)
                : new TrustAnchor(ta, null);
        try {
            PKIXParameters parameters = new PKIXParameters(Set.of(trusted));
            // DANE replaces the CA system, and with it CRL and OCSP look-ups (RFC 7672 §3.1).
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(clock.instant()));
            CertPathValidator.getInstance("PKIX")
                    .validate(
                            CertificateFactory.getInstance("X.509").generateCertPath(chain.subList(0, anchor)),
                            parameters);
            return Optional.empty();
        } catch (CertPathValidatorException invalid) {
            DaneFailure failure =
                    invalid.getReason() == BasicReason.EXPIRED ? DaneFailure.CHAIN_EXPIRED : DaneFailure.CHAIN_INVALID;
            return Optional.of(new Miss(
                    failure,
                    "matches " + ta.getSubjectX500Principal().getName() + " but the chain below it does not verify: "
                            + invalid.getMessage()));
        } catch (GeneralSecurityException | IllegalArgumentException unusable) {
            return Optional.of(new Miss(
                    DaneFailure.CHAIN_INVALID,
                    "matches " + ta.getSubjectX500Principal().getName() + " but the chain below it is unusable: "
                            + unusable.getMessage()));
        }
    }

    private static boolean matches(TlsaRecord record, X509Certificate certificate) {
        try {
            byte[] selected = record.selector() == TlsaRecord.CERT
                    ? certificate.getEncoded()
                    : certificate.getPublicKey().getEncoded();
            return record.matches(selected);
        } catch (CertificateEncodingException unencodable) {
            return false;
        }
    }

    /** The most specific failure wins: a name mismatch says more than an expired chain, that more than no match. */
    private static DaneResult refusal(List<Miss> misses) {
        if (misses.isEmpty()) {
            return new DaneResult.Refused(DaneFailure.NO_MATCH, "no usable TLSA record");
        }
        DaneFailure closest = misses.stream()
                .map(Miss::failure)
                .max(Comparator.comparingInt(DaneVerifier::rank))
                .orElseThrow();
        List<String> details = misses.stream().map(Miss::detail).toList();
        return new DaneResult.Refused(closest, String.join("; ", details));
    }

    private static int rank(DaneFailure failure) {
        return switch (failure) {
            case NAME_MISMATCH -> 4;
            case CHAIN_EXPIRED -> 3;
            case CHAIN_INVALID -> 2;
            case NO_MATCH -> 1;
            case NO_CERTIFICATE -> 0;
        };
    }
}
