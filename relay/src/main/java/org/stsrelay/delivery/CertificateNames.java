package org.stsrelay.delivery;

import java.util.List;
import java.util.Optional;
import org.stsrelay.policy.MxPattern;

/** Matches a certificate's DNS-IDs against the MX host name that was dialled (RFC 6125 §6.4, RFC 8461 §4.2). */
public final class CertificateNames {

    private CertificateNames() {
    }

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
