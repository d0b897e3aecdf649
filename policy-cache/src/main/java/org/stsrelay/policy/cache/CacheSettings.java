package org.stsrelay.policy.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing and size of the policy cache.
 *
 * @param idRecheckInterval how often, at most, a policy in use has its TXT {@code id} re-checked (RFC 8461 §3);
 *     also how long "no record" answers are remembered
 * @param failureBackoff how long after a failed fetch no new fetch is tried for the domain (RFC 8461 §3.3: five
 *     minutes or longer)
 * @param refreshAhead how long before expiry an in-use policy is refreshed in the background (RFC 8461 §10.2);
 *     at most half the policy's max_age
 * @param refreshJitter the largest random advance added to each policy's refresh time, so refreshes spread out
 * @param maxConcurrentRefreshes background refreshes in flight at once
 * @param idleEviction how long a policy stays in memory unused; the store keeps it until it expires
 * @param maxEntries the most domains held in memory
 */
public record CacheSettings(
        Duration idRecheckInterval,
        Duration failureBackoff,
        Duration refreshAhead,
        Duration refreshJitter,
        int maxConcurrentRefreshes,
        Duration idleEviction,
        long maxEntries) {

    private static final Duration MIN_BACKOFF = Duration.ofMinutes(5);

    /** Re-check ids every 5 min, back off 5 min (RFC 8461 §3.3), refresh 1 d ahead, up to 1 h jitter, 4 at once. */
    public static final CacheSettings DEFAULTS = new CacheSettings(
            Duration.ofMinutes(5),
            Duration.ofMinutes(5),
            Duration.ofDays(1),
            Duration.ofHours(1),
            4,
            Duration.ofDays(3),
            2_000_000L);

    /** Validates the settings. */
    public CacheSettings {
        Objects.requireNonNull(idRecheckInterval, "idRecheckInterval");
        Objects.requireNonNull(refreshAhead, "refreshAhead");
        Objects.requireNonNull(refreshJitter, "refreshJitter");
        Objects.requireNonNull(idleEviction, "idleEviction");
        // RFC 8461 §3.3: "limit further attempts to a period of five minutes or longer per version ID".
        if (failureBackoff == null || failureBackoff.compareTo(MIN_BACKOFF) < 0) {
            throw new IllegalArgumentException("failureBackoff must be at least 5 minutes: " + failureBackoff);
        }
        if (idRecheckInterval.isNegative()
                || refreshAhead.isNegative()
                || refreshJitter.isNegative()
                || idleEviction.isNegative()
                || idleEviction.isZero()) {
            throw new IllegalArgumentException("cache durations must not be negative; idleEviction must be positive");
        }
        if (maxConcurrentRefreshes < 1 || maxEntries < 1) {
            throw new IllegalArgumentException("maxConcurrentRefreshes and maxEntries must be positive");
        }
    }
}
