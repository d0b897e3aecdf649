package org.stsrelay.delivery;

import java.util.Optional;
import org.stsrelay.dane.DaneStatus;

/**
 * Which rule judges the TLS of one MX host in one attempt (RFC 8461 §2, RFC 7672 §2.2): DANE when the host has
 * a secure TLSA RRset and DANE is enforcing, else the domain's MTA-STS policy, with DANE observing in report-only.
 *
 * @param host        the MX host name
 * @param dane        the host's secure TLSA RRset, when it has one
 * @param daneDecides whether DANE's verdict is the one applied; MTA-STS never overrides it (RFC 8461 §2)
 */
record HostTls(String host, Optional<DaneStatus.Applies> dane, boolean daneDecides) {

    HostTls {
        if (daneDecides && dane.isEmpty()) {
            throw new IllegalArgumentException("DANE decides only for a host with TLSA records");
        }
    }

    /** A host MTA-STS (or opportunistic TLS) judges, with no TLSA records. */
    static HostTls mtaSts(String host) {
        return new HostTls(host, Optional.empty(), false);
    }

    /** SNI: the TLSA base domain under DANE (RFC 7672 §8.1), else the MX host (RFC 8461 §7.1). */
    String serverName() {
        return dane.map(DaneStatus.Applies::baseDomain).orElse(host);
    }

    /** The refusal's label in replies and logs. */
    String refusedBy() {
        return daneDecides ? "DANE" : "MTA-STS enforce";
    }
}
