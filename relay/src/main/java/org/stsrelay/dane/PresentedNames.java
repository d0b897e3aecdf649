package org.stsrelay.dane;

import java.security.cert.X509Certificate;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;
import org.stsrelay.policy.fetch.CertificateInfo;
import org.stsrelay.policy.fetch.CertificateNames;

/** Matches a DANE-TA(2) leaf's presented identifiers against the reference identifiers (RFC 7672 §3.2.3). */
final class PresentedNames {

    private PresentedNames() {}

    /** Returns the presented identifiers of {@code leaf}: its DNS-IDs, or its CN-IDs when it has no DNS-ID. */
    static List<String> of(X509Certificate leaf) {
        List<String> dnsNames = CertificateInfo.of(new X509Certificate[] {leaf}).dnsNames();
        // RFC 7672 §3.2.3: "The CN-ID is only considered when no DNS-IDs are present."
        return dnsNames.isEmpty() ? commonNames(leaf) : dnsNames;
    }

    /** Tells whether a presented identifier of {@code leaf} matches one of {@code identifiers}. */
    static boolean match(X509Certificate leaf, ReferenceIdentifiers identifiers) {
        List<String> presented = of(leaf);
        // RFC 7672 §3.2.3: a wildcard is the whole first label and matches exactly that one label.
        return identifiers.all().stream().anyMatch(reference -> CertificateNames.matches(presented, reference));
    }

    private static List<String> commonNames(X509Certificate leaf) {
        try {
            LdapName subject = new LdapName(leaf.getSubjectX500Principal().getName(X500Principal.RFC2253));
            return subject.getRdns().stream()
                    .filter(rdn -> rdn.getType().equalsIgnoreCase("CN"))
                    .map(Rdn::getValue)
                    .filter(String.class::isInstance)
                    .map(String.class::cast)
                    .toList();
        } catch (InvalidNameException unparsable) {
            return List.of();
        }
    }
}
