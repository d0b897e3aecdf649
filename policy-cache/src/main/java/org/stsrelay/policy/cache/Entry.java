package org.stsrelay.policy.cache;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.stsrelay.policy.PolicyLookup;

/**
 * What memory holds for one domain: a valid policy, or a remembered "no policy" until a retry time.
 * The answers are built once, so a cache hit allocates nothing.
 */
final class Entry {

    private final StoredPolicy stored;
    private final PolicyLookup fresh;
    private final CompletableFuture<PolicyLookup> cached;
    private final long untilMillis;
    private final long refreshAtMillis;
    private final AtomicBoolean proactiveDue = new AtomicBoolean();
    private volatile long nextCheckMillis;

    private Entry(
            StoredPolicy stored,
            PolicyLookup fresh,
            PolicyLookup cached,
            long untilMillis,
            long refreshAtMillis,
            long nextCheckMillis) {
        this.stored = stored;
        this.fresh = fresh;
        this.cached = CompletableFuture.completedFuture(cached);
        this.untilMillis = untilMillis;
        this.refreshAtMillis = refreshAtMillis;
        this.nextCheckMillis = nextCheckMillis;
    }

    /** A policy entry; {@code fetched} tells whether the loading callers saw a fetch. */
    static Entry policy(StoredPolicy stored, boolean fetched, long refreshAtMillis, long nextCheckMillis) {
        Instant expiresAt = stored.expiresAt();
        PolicyLookup cachedAnswer = new PolicyLookup.Found(stored.policy(), true, expiresAt);
        PolicyLookup freshAnswer = fetched ? new PolicyLookup.Found(stored.policy(), false, expiresAt) : cachedAnswer;
        return new Entry(stored, freshAnswer, cachedAnswer, expiresAt.toEpochMilli(), refreshAtMillis, nextCheckMillis);
    }

    /** A "no policy" entry answered until {@code retryAtMillis}. */
    static Entry none(PolicyLookup.NoPolicy answer, long retryAtMillis) {
        return new Entry(null, answer, answer, retryAtMillis, Long.MAX_VALUE, Long.MAX_VALUE);
    }

    boolean hasPolicy() {
        return stored != null;
    }

    StoredPolicy stored() {
        return stored;
    }

    /** The answer for callers that waited for this entry to load. */
    PolicyLookup freshAnswer() {
        return fresh;
    }

    /** The answer for later callers, already completed. */
    CompletableFuture<PolicyLookup> cachedAnswer() {
        return cached;
    }

    /** Policy: when it expires. No policy: when to try again. */
    long untilMillis() {
        return untilMillis;
    }

    long refreshAtMillis() {
        return refreshAtMillis;
    }

    long nextCheckMillis() {
        return nextCheckMillis;
    }

    void nextCheckMillis(long millis) {
        nextCheckMillis = millis;
    }

    /** Marks the next refresh of this entry as a proactive one (RFC 8461 §3.3: fetch whatever the TXT says). */
    void requestProactive() {
        proactiveDue.set(true);
    }

    /** Tells whether a proactive refresh was requested, and clears the request. */
    boolean takeProactive() {
        return proactiveDue.getAndSet(false);
    }
}
