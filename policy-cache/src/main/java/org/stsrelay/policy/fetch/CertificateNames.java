package org.stsrelay.policy.fetch;

import java.util.List;
import java.util.Optional;
import org.stsrelay.policy.MxPattern;

/**
 * Matches a certificate's presented names against a host name: the MX host dialled (RFC 6125 §6.4, RFC 8461
 * §4.2) or a DANE-TA reference identifier (RFC 7672 §3.2.3), which share the one-label wildcard rule.
 */
public final class CertificateNames {

    private CertificateNames() {}

    /**
     * Tells whether one of {@code dnsNames} (subjectAltName DNS-IDs; the CN is never consulted, RFC 6125 §6.4.4)
     * names {@code host}; a wildcard counts only as the whole left-most label and matches exactly one label
     * (RFC 6125 §6.4.3, RFC 8461 §4.2).
     */
    public static boolean matches(List<String> dnsNames, String host) {
        for (String dnsName : dnsNames) {
            // MxPattern implements exactly this rule, and rejects "*" anywhere but as the whole first label.
            Optional<MxPattern> pattern = MxPattern.parse(dnsName);
            if (pattern.isPresent() && pattern.get().matches(host)) {
                return true;
            }
        }
        return false;
    }
}
