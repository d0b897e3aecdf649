package org.stsrelay.queue;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Lengthens each retry delay by a random part of up to a tenth of it, so that recipients deferred in
 * the same second (a destination that answers everything with a 4xx) do not all come due in the same
 * second again: their retries spread over a tenth of the delay. Never shortens a delay, so the retry
 * schedule stays the least an operator gets. Not thread-safe: the queue's lock guards it.
 */
final class RetryJitter {

    /** How much of a delay may be added: 10 %, e.g. up to 30 s on a 5-minute first retry. */
    static final double SPREAD = 0.1;

    private final RandomGenerator random;
    private final double spread;

    RetryJitter(RandomGenerator random, double spread) {
        if (spread < 0 || spread > 1) {
            throw new IllegalArgumentException("a retry spread is a fraction of the delay, not " + spread);
        }
        this.random = random;
        this.spread = spread;
    }

    /** Up to {@link #SPREAD} of each delay, from a fresh random source. */
    static RetryJitter random() {
        return new RetryJitter(new SplittableRandom(), SPREAD);
    }

    /** Every delay as scheduled (for tests that assert exact retry times). */
    static RetryJitter none() {
        return new RetryJitter(new SplittableRandom(0), 0);
    }

    /** {@code delay} plus its random part. */
    Duration spread(Duration delay) {
        if (spread == 0) {
            return delay;
        }
        return delay.plusMillis((long) (random.nextDouble() * spread * delay.toMillis()));
    }
}
