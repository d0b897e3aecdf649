package org.stsrelay.policy.testing;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** The one test clock: a UTC wall clock and Caffeine's ticker that tests set or advance, never sleep on. */
public final class FakeTime extends Clock implements Ticker {

    private final AtomicLong nanos;

    /** Starts the clock at {@code start}. */
    public FakeTime(Instant start) {
        nanos = new AtomicLong(nanosOf(start));
    }

    /** Moves the clock forward by {@code duration}. */
    public void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    /** Moves the clock to {@code now}. */
    public void set(Instant now) {
        nanos.set(nanosOf(now));
    }

    private static long nanosOf(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    @Override
    public long read() {
        return nanos.get();
    }

    @Override
    public Instant instant() {
        long now = nanos.get();
        return Instant.ofEpochSecond(Math.floorDiv(now, 1_000_000_000L), Math.floorMod(now, 1_000_000_000L));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
