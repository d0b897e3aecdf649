package org.stsrelay.config;

import java.time.Duration;
import java.util.List;
import org.stsrelay.policy.dns.DnsSettings;

/**
 * The {@code dns} section: which resolvers answer MX, address and TXT lookups.
 *
 * @param servers resolvers as IP literal and port; empty: the system's resolvers
 * @param timeout time allowed for one query to one server
 * @param retries further attempts after a timeout
 */
public record DnsConfig(List<HostPort> servers, Duration timeout, int retries) {

    public DnsConfig {
        servers = List.copyOf(servers);
    }

    /** The policy module's DNS settings for these values; throws IllegalArgumentException past its limits. */
    public DnsSettings settings() {
        return new DnsSettings(servers.stream().map(HostPort::toSocketAddress).toList(), timeout, retries,
                DnsSettings.DEFAULTS.maxCnameChain());
    }
}
