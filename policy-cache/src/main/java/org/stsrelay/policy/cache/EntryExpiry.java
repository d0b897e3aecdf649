package org.stsrelay.policy.cache;

import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How long Caffeine keeps an entry: until the policy expires or the "no policy" answer may be retried, and never
 * longer than the idle time since its last read.
 */
final class EntryExpiry implements Expiry<String, Entry> {

    private final Clock clock;
    private final long idleNanos;

    EntryExpiry(Clock clock, Duration idleEviction) {
        this.clock = clock;
        this.idleNanos = idleEviction.toNanos();
    }

    @Override
    public long expireAfterCreate(String key, Entry entry, long currentTime) {
        return remaining(entry);
    }

    @Override
    public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
        return remaining(entry);
    }

    @Override
    public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
        return remaining(entry);
    }

    // RFC 8461 §3.2: validity is wall-clock time since the policy was fetched or confirmed, so it is measured
    // with the clock; Caffeine only needs the time left.
    private long remaining(Entry entry) {
        long leftMillis = Math.max(0, entry.untilMillis() - clock.millis());
        return Math.min(idleNanos, TimeUnit.MILLISECONDS.toNanos(leftMillis));
    }
}
