package org.stsrelay.dane;

import java.util.ArrayList;
import java.util.List;

/**
 * The names a DANE-TA(2) server certificate may carry (RFC 7672 §3.2.2): the TLSA base domain first, then
 * the MX host name and the next-hop domain as the lookup found them.
 *
 * @param tlsaBaseDomain the primary reference identifier, also sent as SNI (RFC 7672 §8.1)
 * @param others the other reference identifiers, without repeats of the base domain
 */
public record ReferenceIdentifiers(String tlsaBaseDomain, List<String> others) {

    /** Validates and copies the names. */
    public ReferenceIdentifiers {
        if (tlsaBaseDomain.isBlank()) {
            throw new IllegalArgumentException("the TLSA base domain is empty");
        }
        others = List.copyOf(others);
    }

    /** Returns the identifiers for {@code tlsaBaseDomain} and {@code others} (e.g. the MX name). */
    public static ReferenceIdentifiers of(String tlsaBaseDomain, String... others) {
        List<String> distinct = new ArrayList<>();
        for (String other : others) {
            if (!other.equalsIgnoreCase(tlsaBaseDomain) && !distinct.contains(other)) {
                distinct.add(other);
            }
        }
        return new ReferenceIdentifiers(tlsaBaseDomain, distinct);
    }

    /** All reference identifiers, the TLSA base domain first. */
    public List<String> all() {
        List<String> all = new ArrayList<>(List.of(tlsaBaseDomain));
        all.addAll(others);
        return List.copyOf(all);
    }
}
