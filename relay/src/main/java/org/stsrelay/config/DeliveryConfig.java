package org.stsrelay.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code delivery} section: how and when spooled mail goes to the recipients' MX hosts.
 *
 * @param port                    TCP port of MX hosts (25; other values only for tests)
 * @param paused                  start with delivery held (acceptance goes on): an operator's brake
 * @param retrySchedule           waits before the 1st, 2nd, ... retry; the last repeats until the lifetime ends
 * @param queueLifetime           how long a message is retried before it bounces
 * @param delayNotice             after how long a DELAY DSN is sent (when the sender asked for it); 0: never
 * @param maxConnections          outbound SMTP connections in total
 * @param maxConnectionsPerDomain outbound SMTP connections to one destination domain
 * @param maxMessagesPerConnection messages sent over one connection before it is closed
 * @param connectionIdleTimeout   an open connection with nothing to send is closed after this
 * @param ipv4                    connect to MX hosts' IPv4 addresses
 * @param ipv6                    connect to MX hosts' IPv6 addresses
 * @param timeouts                the RFC 5321 §4.5.3.2 client timeouts
 * @param overrides               per-domain settings, keyed by lower-case domain
 * @param tlsRequiredHeader       what a message's {@code TLS-Required: No} header field does
 */
public record DeliveryConfig(
        int port,
        boolean paused,
        List<Duration> retrySchedule,
        Duration queueLifetime,
        Duration delayNotice,
        int maxConnections,
        int maxConnectionsPerDomain,
        int maxMessagesPerConnection,
        Duration connectionIdleTimeout,
        boolean ipv4,
        boolean ipv6,
        Timeouts timeouts,
        Map<String, Override> overrides,
        TlsRequiredHeader tlsRequiredHeader) {

    public DeliveryConfig {
        retrySchedule = List.copyOf(retrySchedule);
        overrides = Map.copyOf(overrides);
    }

    /** The wait before retry number {@code retry} (1-based); the schedule's last value repeats. */
    public Duration retryDelay(int retry) {
        return retrySchedule.get(Math.min(Math.max(retry, 1), retrySchedule.size()) - 1);
    }

    /** What the {@code TLS-Required: No} header field (RFC 8689 §3) of a client's message does. */
    public enum TlsRequiredHeader {
        /** RFC 8689 §4.2.2: the message goes out despite policy failures, over TLS where the MX offers it. */
        HONOR,
        /** The field is read as any other: policy failures hold the message like every other one. */
        IGNORE
    }

    /** RFC 5321 §4.5.3.2 client timeouts (connect and STARTTLS are ours). */
    public record Timeouts(
            Duration connect,
            Duration greeting,
            Duration ehlo,
            Duration starttls,
            Duration mail,
            Duration rcpt,
            Duration dataInit,
            Duration dataBlock,
            Duration dataDone) {}

    /**
     * A per-domain override.
     *
     * @param policy  force this MTA-STS mode for the domain whatever it publishes (enforce, testing, none)
     * @param nextHop deliver to this host:port instead of the domain's MX hosts; the host name is the one
     *                the certificate must match
     * @param dane    require: every MX host must be DANE-authenticated (RFC 8460 §4.3.2.1 dane-required);
     *                off: no DANE for this domain; empty: the relay-wide {@code dane.mode}
     */
    public record Override(Optional<String> policy, Optional<HostPort> nextHop, Optional<DaneOverride> dane) {

        /** An override with only a policy mode and a next hop. */
        public Override(Optional<String> policy, Optional<HostPort> nextHop) {
            this(policy, nextHop, Optional.empty());
        }
    }

    /** What {@code delivery.overrides.<domain>.dane} asks for. */
    public enum DaneOverride {
        REQUIRE,
        OFF
    }
}
