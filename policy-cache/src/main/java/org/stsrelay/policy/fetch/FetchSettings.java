package org.stsrelay.policy.fetch;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How policies are fetched over HTTPS (RFC 8461 §3.3).
 *
 * @param port the HTTPS port of policy hosts; 443 except in tests
 * @param connectTimeout time allowed to open a TCP connection
 * @param totalTimeout time allowed for the whole fetch, from name resolution to the last body byte
 * @param maxBodyBytes the largest policy body accepted
 * @param maxConcurrentFetches fetches in flight at once; the rest wait their turn
 * @param requireTextPlain whether a media type other than {@code text/plain} makes the policy invalid
 * @param extraTrustedCertificates CA certificates trusted besides the system trust store
 */
public record FetchSettings(
        int port,
        Duration connectTimeout,
        Duration totalTimeout,
        int maxBodyBytes,
        int maxConcurrentFetches,
        boolean requireTextPlain,
        List<X509Certificate> extraTrustedCertificates) {

    /** RFC 8461 §3.3 suggests a one-minute timeout and a 64 KiB size limit; these defaults follow it. */
    public static final FetchSettings DEFAULTS =
            new FetchSettings(443, Duration.ofSeconds(10), Duration.ofMinutes(1), 65_536, 16, true, List.of());

    /** Validates the settings. */
    public FetchSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(totalTimeout, "totalTimeout");
        extraTrustedCertificates = List.copyOf(extraTrustedCertificates);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (!isPositive(connectTimeout) || !isPositive(totalTimeout)) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxBodyBytes < 1 || maxConcurrentFetches < 1) {
            throw new IllegalArgumentException("maxBodyBytes and maxConcurrentFetches must be positive");
        }
    }

    /** Returns these settings with another port. */
    public FetchSettings withPort(int newPort) {
        return new FetchSettings(
                newPort,
                connectTimeout,
                totalTimeout,
                maxBodyBytes,
                maxConcurrentFetches,
                requireTextPlain,
                extraTrustedCertificates);
    }

    /** Returns these settings with other timeouts. */
    public FetchSettings withTimeouts(Duration connect, Duration total) {
        return new FetchSettings(
                port, connect, total, maxBodyBytes, maxConcurrentFetches, requireTextPlain, extraTrustedCertificates);
    }

    /** Returns these settings with the media type check switched on or off (RFC 8461 §3.2 SHOULD). */
    public FetchSettings withRequireTextPlain(boolean required) {
        return new FetchSettings(
                port,
                connectTimeout,
                totalTimeout,
                maxBodyBytes,
                maxConcurrentFetches,
                required,
                extraTrustedCertificates);
    }

    /**
     * Returns these settings trusting these extra CA certificates, e.g. read by
     * {@link org.stsrelay.support.PemFiles#certificates}.
     */
    public FetchSettings withExtraTrustedCertificates(List<X509Certificate> certificates) {
        return new FetchSettings(
                port, connectTimeout, totalTimeout, maxBodyBytes, maxConcurrentFetches, requireTextPlain, certificates);
    }

    private static boolean isPositive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }
}
