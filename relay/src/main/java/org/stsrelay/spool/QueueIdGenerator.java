package org.stsrelay.spool;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes queue ids: 11 base-36 digits of a sequence that starts from the epoch millisecond, or above
 * the greatest id the spool's log holds, whichever is higher (so ids sort by arrival, and a restarted
 * relay never repeats an id of its log, even within the same millisecond or after the clock was
 * stepped back), then 5 random base-36 digits.
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
        this(clock, Optional.empty());
    }

    /** A generator whose ids all lie above {@code above}'s sequence, e.g. the greatest id a recovered log holds. */
    QueueIdGenerator(Clock clock, Optional<QueueId> above) {
        this.clock = clock;
        above.ifPresent(id -> last.set(sequenceOf(id)));
    }

    /** The sequence an id was made from: its first 11 base-36 digits. */
    static long sequenceOf(QueueId id) {
        long sequence = 0;
        for (int i = 0; i < SEQUENCE_DIGITS; i++) {
            sequence = sequence * 36 + DIGITS.indexOf(id.value().charAt(i));
        }
        return sequence;
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
