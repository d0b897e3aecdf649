package org.stsrelay.policy.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the DNS client reaches its resolvers.
 *
 * @param servers resolvers to ask, in order; empty means the system's configured resolvers
 * @param timeout time allowed for one query to one server
 * @param retries further attempts after a timeout
 * @param maxCnameChain the longest CNAME chain followed before giving up
 * @param dnssec how answers of the DNSSEC-aware lookups are validated
 */
public record DnsSettings(
        List<InetSocketAddress> servers, Duration timeout, int retries, int maxCnameChain, DnssecSettings dnssec) {

    /** The defaults: system resolvers, 5 s per query, 2 retries, chains of up to 8 CNAMEs, in-process DNSSEC. */
    public static final DnsSettings DEFAULTS = new DnsSettings(List.of(), Duration.ofSeconds(5), 2, 8);

    /** Settings with the default DNSSEC validation. */
    public DnsSettings(List<InetSocketAddress> servers, Duration timeout, int retries, int maxCnameChain) {
        this(servers, timeout, retries, maxCnameChain, DnssecSettings.DEFAULTS);
    }

    /** Validates the settings. */
    public DnsSettings {
        servers = List.copyOf(servers);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(dnssec, "dnssec");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("dns timeout must be positive: " + timeout);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("dns retries must be >= 0: " + retries);
        }
        if (maxCnameChain < 0) {
            throw new IllegalArgumentException("maxCnameChain must be >= 0: " + maxCnameChain);
        }
    }

    /** Returns these settings with the servers parsed from {@code host:port} strings ({@code [v6]:port} for IPv6). */
    public DnsSettings withServers(List<String> hostPorts) {
        List<InetSocketAddress> parsed = new ArrayList<>();
        for (String hostPort : hostPorts) {
            parsed.add(parseServer(hostPort));
        }
        return new DnsSettings(parsed, timeout, retries, maxCnameChain, dnssec);
    }

    /** Returns these settings with another per-query timeout. */
    public DnsSettings withTimeout(Duration newTimeout) {
        return new DnsSettings(servers, newTimeout, retries, maxCnameChain, dnssec);
    }

    /** Returns these settings with other DNSSEC settings. */
    public DnsSettings withDnssec(DnssecSettings newDnssec) {
        return new DnsSettings(servers, timeout, retries, maxCnameChain, newDnssec);
    }

    /** Parses {@code host:port}, {@code [v6]:port} or a bare host (port 53) into a socket address. */
    public static InetSocketAddress parseServer(String hostPort) {
        String host = hostPort;
        int port = 53;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed [ in dns server: " + hostPort);
            }
            host = hostPort.substring(1, close);
            if (close + 1 < hostPort.length()) {
                port = parsePort(hostPort, hostPort.substring(close + 1));
            }
        } else if (hostPort.indexOf(':') >= 0 && hostPort.indexOf(':') == hostPort.lastIndexOf(':')) {
            host = hostPort.substring(0, hostPort.indexOf(':'));
            port = parsePort(hostPort, hostPort.substring(hostPort.indexOf(':')));
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no host in dns server: " + hostPort);
        }
        return new InetSocketAddress(host, port);
    }

    private static int parsePort(String whole, String colonPort) {
        if (!colonPort.startsWith(":")) {
            throw new IllegalArgumentException("expected :port in dns server: " + whole);
        }
        try {
            int port = Integer.parseInt(colonPort.substring(1));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range in dns server: " + whole);
            }
            return port;
        } catch (NumberFormatException notNumber) {
            throw new IllegalArgumentException("bad port in dns server: " + whole, notNumber);
        }
    }
}
