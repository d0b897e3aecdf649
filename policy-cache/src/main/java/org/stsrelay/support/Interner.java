package org.stsrelay.support;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Hands out one instance for equal values, so that what lives long holds each distinct value once: a relay's
 * queue holds thousands of messages from the same few clients to the same few domains, and every object a
 * queued message keeps is copied by each young collection while it waits.
 *
 * <p>Bounded and lock-free: a direct-mapped table of recent values, where a value replaces the one in its slot.
 * A value seen before may therefore come back as itself rather than as the earlier instance; that costs memory,
 * never correctness, because callers rely on equality only. Values must be immutable.
 */
public final class Interner<T> {

    private final AtomicReferenceArray<T> slots;
    private final int mask;

    /** A table of at least {@code capacity} slots (a power of two, at most 2^20). */
    public Interner(int capacity) {
        if (capacity < 1 || capacity > 1 << 20) {
            throw new IllegalArgumentException("capacity must be 1 to 2^20, not " + capacity);
        }
        int size = Integer.highestOneBit(capacity) == capacity ? capacity : Integer.highestOneBit(capacity) << 1;
        this.slots = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
    }

    /** An instance equal to {@code value}: the one this interner handed out before when it still holds it. */
    public T intern(T value) {
        int hash = value.hashCode();
        int slot = (hash ^ (hash >>> 16)) & mask;
        T seen = slots.getAcquire(slot);
        if (value.equals(seen)) {
            return seen;
        }
        slots.setRelease(slot, value);
        return value;
    }
}
