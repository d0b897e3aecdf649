package org.stsrelay.inbound;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.net.InetAddress;
import java.time.Duration;
import org.stsrelay.config.InboundConfig;

/**
 * Counts failed AUTH attempts per client address, shared by every session of a server, and says how
 * long to wait before the failure reply and when the address is locked out of AUTH.
 *
 * <p>An address's count is forgotten {@code window} after its last failure; refused attempts do not
 * renew it, so a lockout ends {@code window} after the failure that caused it.
 */
final class AuthThrottle {

    /**
     * The most addresses tracked at once (about 20 MB at most); past it the entries least likely
     * to be used again go first, so an attacker with many addresses cannot exhaust memory.
     */
    static final long MAX_ADDRESSES = 100_000;

    /** What follows a failed attempt: a wait, then a {@code 535} reply or the lockout. */
    sealed interface Penalty {

        /** How long the failure reply waits. */
        Duration delay();
    }

    /** The client may try again after the {@code 535} reply. */
    record Retry(Duration delay) implements Penalty {}

    /** The address has failed too often: {@code 421 4.7.0} and the connection is closed. */
    record LockedOut(Duration delay) implements Penalty {}

    private final InboundConfig.AuthFailures limits;
    private final Cache<InetAddress, Integer> failures;

    AuthThrottle(InboundConfig.AuthFailures limits, Ticker ticker) {
        this.limits = limits;
        this.failures = Caffeine.newBuilder()
                .maximumSize(MAX_ADDRESSES)
                .expireAfterWrite(limits.window())
                .ticker(ticker)
                // Maintenance is a few map operations; running it on the caller keeps it deterministic.
                .executor(Runnable::run)
                .build();
    }

    /** Whether AUTH from this address is refused without looking at the credentials. */
    boolean isLockedOut(InetAddress client) {
        Integer count = failures.getIfPresent(client);
        return count != null && count >= limits.max();
    }

    /** Records a failed attempt from this address and says what follows it. */
    Penalty failed(InetAddress client) {
        int count = failures.asMap().merge(client, 1, (old, one) -> Math.min(old + one, limits.max()));
        Duration delay = delayAfter(count);
        return count >= limits.max() ? new LockedOut(delay) : new Retry(delay);
    }

    // The first failure is most often a typo and is answered at once; from the second on the wait
    // doubles, so guessing slows down long before the lockout.
    private Duration delayAfter(int count) {
        if (count <= 1 || limits.delay().isZero()) {
            return Duration.ZERO;
        }
        int doublings = Math.min(count - 2, 30);
        Duration delay = limits.delay().multipliedBy(1L << doublings);
        return delay.compareTo(limits.maxDelay()) > 0 ? limits.maxDelay() : delay;
    }
}
