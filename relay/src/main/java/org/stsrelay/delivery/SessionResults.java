package org.stsrelay.delivery;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Makes the TLS results of one attempt's sessions (RFC 8460 §4.3, §4.4): under the recipient domain's MTA-STS
 * policy (or no-policy-found), or under DANE with the TLSA base domain as policy domain (§1.3).
 */
final class SessionResults {

    private final Clock clock;

    SessionResults(Clock clock) {
        this.clock = clock;
    }

    /** RFC 8461 §6, RFC 8460 §4.3.2.2: the failed policy lookup itself, reported without MX fields. */
    TlsResult policyFailure(Attempt attempt, TlsResult.Failure failure) {
        return new TlsResult(
                clock.instant(),
                attempt.request.domain(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(failure));
    }

    /** The result of the session of {@code connection}, under the attempt's policy. */
    TlsResult session(Attempt attempt, String host, SmtpConnection connection, Optional<TlsResult.Failure> failure) {
        return session(
                attempt,
                host,
                connection.channel().remoteAddress(),
                connection.channel().localAddress(),
                connection.extensions().name(),
                failure);
    }

    /**
     * The result of one session. RFC 8460 §4.2 counts each session once: when the policy lookup failed, the
     * session is that failure (reported under no-policy-found without MX fields, like the lookup itself), not a
     * lookup failure plus a session of its own.
     */
    TlsResult session(
            Attempt attempt,
            String host,
            SocketAddress remote,
            SocketAddress local,
            String helo,
            Optional<TlsResult.Failure> failure) {
        Optional<TlsResult.Failure> lookup = attempt.policy.lookupFailure();
        if (lookup.isPresent()) {
            return policyFailure(attempt, lookup.get());
        }
        return new TlsResult(
                clock.instant(),
                attempt.request.domain(),
                attempt.policy.policy(),
                Optional.of(host),
                ip(remote),
                helo(helo),
                ip(local),
                failure);
    }

    /** A result under DANE: policy-type tlsa, the TLSA base domain as policy domain (RFC 8460 §1.3, §4.4). */
    TlsResult dane(
            String baseDomain,
            List<String> records,
            String host,
            SocketAddress remote,
            SocketAddress local,
            String helo,
            Optional<TlsResult.Failure> failure) {
        return new TlsResult(
                clock.instant(),
                baseDomain,
                Optional.empty(),
                Optional.of(host),
                ip(remote),
                helo(helo),
                ip(local),
                failure,
                Optional.of(records));
    }

    /** The failure a session is recorded with: the policy lookup's, when it failed, else the MX's. */
    static Optional<TlsResult.Failure> sessionFailure(Attempt attempt, Optional<TlsResult.Failure> failure) {
        return attempt.policy.lookupFailure().or(() -> failure);
    }

    private static Optional<String> helo(String helo) {
        return Optional.ofNullable(helo).filter(h -> !h.isEmpty());
    }

    private static Optional<String> ip(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? Optional.of(inet.getAddress().getHostAddress())
                : Optional.empty();
    }
}
