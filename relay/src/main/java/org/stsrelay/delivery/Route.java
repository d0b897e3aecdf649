package org.stsrelay.delivery;

import java.util.List;

/** Where a domain's mail goes, as DNS (or an override) says (RFC 5321 §5.1, RFC 7505). */
sealed interface Route {

    /** MX hosts in the order to try them, on {@code port}. */
    record Hosts(List<String> hosts, int port) implements Route {
        public Hosts {
            hosts = List.copyOf(hosts);
        }
    }

    /** RFC 7505: the domain declares it accepts no mail. */
    record NullMx() implements Route {
    }

    /** The domain does not exist (NXDOMAIN). */
    record NoDomain(String reason) implements Route {
    }

    /** DNS failed for now (SERVFAIL, timeout). */
    record DnsTrouble(String reason) implements Route {
    }
}
