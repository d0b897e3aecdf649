package org.stsrelay.spool;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes queue ids: 11 base-36 digits of a per-instance sequence that starts from the epoch
 * millisecond (so ids sort roughly by arrival and a restarted relay continues above its
 * predecessor), then 5 random base-36 digits for a restart within the same millisecond or a clock
 * stepped back.
 */
final class QueueIdGenerator {

    private static final String DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final int SEQUENCE_DIGITS = 11;
    private static final int RANDOM_DIGITS = 5;
    /** Ids per millisecond before the sequence borrows from the next millisecond (still unique). */
    private static final long PER_MILLISECOND = 36 * 36;
    private static final long RANDOM_BOUND = 36L * 36 * 36 * 36 * 36;

    private final Clock clock;
    private final AtomicLong last = new AtomicLong();

    QueueIdGenerator(Clock clock) {
        this.clock = clock;
    }

    QueueId next() {
        long floor = clock.millis() * PER_MILLISECOND;
        long sequence = last.updateAndGet(previous -> Math.max(floor, previous + 1));
        char[] id = new char[SEQUENCE_DIGITS + RANDOM_DIGITS];
        fill(id, 0, SEQUENCE_DIGITS, sequence);
        fill(id, SEQUENCE_DIGITS, RANDOM_DIGITS, ThreadLocalRandom.current().nextLong(RANDOM_BOUND));
        return new QueueId(new String(id));
    }

    private static void fill(char[] id, int from, int digits, long value) {
        long rest = value;
        for (int i = from + digits - 1; i >= from; i--) {
            id[i] = DIGITS.charAt((int) (rest % 36));
            rest /= 36;
        }
    }
}
