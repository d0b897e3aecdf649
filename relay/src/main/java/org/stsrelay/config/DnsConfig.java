package org.stsrelay.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.stsrelay.policy.dns.DnsSettings;
import org.stsrelay.policy.dns.DnssecMode;
import org.stsrelay.policy.dns.DnssecSettings;

/**
 * The {@code dns} section: which resolvers answer MX, address and TXT lookups.
 *
 * @param servers resolvers as IP literal and port; empty: the system's resolvers
 * @param timeout time allowed for one query to one server
 * @param retries further attempts after a timeout
 * @param dnssec where DNSSEC answers get their security status
 * @param trustAnchors a file of DS or DNSKEY records replacing the built-in root anchors
 */
public record DnsConfig(
        List<HostPort> servers, Duration timeout, int retries, DnssecMode dnssec, Optional<Path> trustAnchors) {

    public DnsConfig {
        servers = List.copyOf(servers);
    }

    /** The policy module's DNS settings for these values; throws IllegalArgumentException past its limits. */
    public DnsSettings settings() {
        return new DnsSettings(
                servers.stream().map(HostPort::toSocketAddress).toList(),
                timeout,
                retries,
                DnsSettings.DEFAULTS.maxCnameChain(),
                DnssecSettings.DEFAULTS.with(dnssec, trustAnchors));
    }
}
