package org.stsrelay.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code inbound} section: who may submit mail and within which bounds.
 *
 * @param listen            SMTP listen addresses
 * @param allowedNetworks   client networks that may relay without AUTH
 * @param maxMessageSize    largest message accepted, in octets (SIZE)
 * @param maxLineLength     longest DATA line accepted, in octets without CRLF
 * @param maxRecipients     recipients per message
 * @param maxConnections    concurrent connections in total
 * @param maxConnectionsPerIp concurrent connections from one client address
 * @param maxBadCommands    syntax/sequence errors per session before it is closed
 * @param commandTimeout    idle time allowed while waiting for a command (RFC 5321 §4.5.3.2.7)
 * @param dataTimeout       idle time allowed between DATA blocks
 * @param dataTotalTimeout  time allowed for one DATA transfer, from the 354 reply to the final dot
 * @param tls               STARTTLS certificate and key; empty: no STARTTLS
 * @param usersFile         AUTH users file (user:hash lines); empty: no AUTH
 * @param authFailures      how failed AUTH attempts from one client address are slowed down and locked out
 */
public record InboundConfig(
        List<HostPort> listen,
        List<Cidr> allowedNetworks,
        long maxMessageSize,
        int maxLineLength,
        int maxRecipients,
        int maxConnections,
        int maxConnectionsPerIp,
        int maxBadCommands,
        Duration commandTimeout,
        Duration dataTimeout,
        Duration dataTotalTimeout,
        Optional<TlsFiles> tls,
        Optional<Path> usersFile,
        AuthFailures authFailures) {

    public InboundConfig {
        listen = List.copyOf(listen);
        allowedNetworks = List.copyOf(allowedNetworks);
    }

    /** A PEM certificate chain and its private key. */
    public record TlsFiles(Path certificate, Path privateKey) {}

    /**
     * The AUTH failure throttle of one client address.
     *
     * @param max      failures after which the address is locked out of AUTH
     * @param window   how long an address's failures are remembered after its last one
     * @param delay    the wait before the reply to the second failure; it doubles with each further one
     * @param maxDelay the longest wait before a failure reply
     */
    public record AuthFailures(int max, Duration window, Duration delay, Duration maxDelay) {

        public AuthFailures {
            if (max < 1 || window.isNegative() || window.isZero() || delay.isNegative() || maxDelay.isNegative()) {
                throw new IllegalArgumentException("AUTH failure limits out of range: max " + max + ", window " + window
                        + ", delay " + delay + ", max delay " + maxDelay);
            }
        }
    }
}
