package org.stsrelay.delivery;

import java.util.List;

/** Where a domain's mail goes, as DNS (or an override) says (RFC 5321 §5.1, RFC 7505). */
sealed interface Route {

    /**
     * MX hosts in the order to try them, on {@code port}.
     *
     * @param secure   whether the hosts came from a DNSSEC-validated MX RRset (or secure denial of one), or
     *                 from configuration: only then can DANE apply (RFC 7672 §2.2.1)
     * @param tlsaPort the port whose TLSA records apply: 25 for MX hosts, a next hop's own port (§2.2.3)
     */
    record Hosts(List<String> hosts, int port, boolean secure, int tlsaPort) implements Route {
        public Hosts {
            hosts = List.copyOf(hosts);
        }

        /** Hosts from an MX lookup without DNSSEC. */
        Hosts(List<String> hosts, int port) {
            this(hosts, port, false, 25);
        }
    }

    /** RFC 7505: the domain declares it accepts no mail. */
    record NullMx() implements Route {}

    /** The domain does not exist (NXDOMAIN). */
    record NoDomain(String reason) implements Route {}

    /** DNS failed for now (SERVFAIL, timeout). */
    record DnsTrouble(String reason) implements Route {}
}
