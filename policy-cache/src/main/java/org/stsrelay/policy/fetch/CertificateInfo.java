package org.stsrelay.policy.fetch;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What a diagnosis shows of the certificate a policy host presented.
 *
 * @param subject the subject distinguished name
 * @param dnsNames the DNS-ID subject alternative names (the only names RFC 8461 §3.3 matches against)
 * @param issuer the issuer distinguished name
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param chainLength how many certificates the server sent
 */
public record CertificateInfo(
        String subject, List<String> dnsNames, String issuer, Instant notBefore, Instant notAfter, int chainLength) {

    private static final int SAN_DNS = 2;

    /** Copies the list. */
    public CertificateInfo {
        dnsNames = List.copyOf(dnsNames);
    }

    /** Describes the leaf of {@code chain}. */
    public static CertificateInfo of(X509Certificate[] chain) {
        X509Certificate leaf = chain[0];
        return new CertificateInfo(
                leaf.getSubjectX500Principal().getName(),
                dnsNames(leaf),
                leaf.getIssuerX500Principal().getName(),
                leaf.getNotBefore().toInstant(),
                leaf.getNotAfter().toInstant(),
                chain.length);
    }

    private static List<String> dnsNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() == 2 && Integer.valueOf(SAN_DNS).equals(san.get(0))) {
                        names.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException unreadable) {
            names.add("(unreadable subjectAltName)");
        }
        return names;
    }
}
