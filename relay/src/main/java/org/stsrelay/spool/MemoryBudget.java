package org.stsrelay.spool;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The octets of messages being received that all sessions together may keep in memory. Each message
 * may hold up to its own limit, but only while the shared budget lasts; past it, messages spill to
 * disk, so a thousand concurrent large messages cannot take a thousand times the per-message limit.
 */
final class MemoryBudget {

    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    MemoryBudget(long capacity) {
        this.capacity = capacity;
    }

    /** Takes {@code octets} from the budget if they fit. */
    boolean tryReserve(long octets) {
        long now;
        do {
            now = used.get();
            if (now + octets > capacity) {
                return false;
            }
        } while (!used.compareAndSet(now, now + octets));
        return true;
    }

    /** Gives back octets taken earlier. */
    void release(long octets) {
        if (octets > 0) {
            used.addAndGet(-octets);
        }
    }

    /** Octets taken now. */
    long used() {
        return used.get();
    }
}
