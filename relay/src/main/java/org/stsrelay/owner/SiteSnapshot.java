package org.stsrelay.owner;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The owned domains being served at one moment; immutable, replaced as a whole on reload. */
final class SiteSnapshot {

    /** RFC 8461 §3.3: the policy host is the policy domain with the label {@code mta-sts} prepended. */
    static final String POLICY_HOST_PREFIX = "mta-sts.";

    /** No domain loaded. */
    static final SiteSnapshot EMPTY = new SiteSnapshot(Map.of());

    private final Map<String, OwnedDomain> domains;

    SiteSnapshot(Map<String, OwnedDomain> domains) {
        this.domains = Map.copyOf(domains);
    }

    /** The domain whose policy host is {@code host} (any case, trailing dot allowed), if it is loaded. */
    Optional<OwnedDomain> forHost(String host) {
        if (host == null) {
            return Optional.empty();
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (!name.startsWith(POLICY_HOST_PREFIX)) {
            return Optional.empty();
        }
        return Optional.ofNullable(domains.get(name.substring(POLICY_HOST_PREFIX.length())));
    }

    /** The loaded domain named {@code domain}, if any. */
    Optional<OwnedDomain> domain(String domain) {
        return Optional.ofNullable(domains.get(domain));
    }

    /** Every loaded domain, by name. */
    Map<String, OwnedDomain> domains() {
        return domains;
    }
}
