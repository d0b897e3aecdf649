package org.stsrelay.policy.cache;

import java.util.random.RandomGenerator;

/** Builds the memory entry of a policy, with its refresh and id re-check times. */
final class EntryFactory {

    private final CacheSettings settings;
    private final RandomGenerator random;

    EntryFactory(CacheSettings settings, RandomGenerator random) {
        this.settings = settings;
        this.random = random;
    }

    /** The entry for {@code stored}; {@code fetched} tells whether the callers that waited for it saw a fetch. */
    Entry policy(StoredPolicy stored, boolean fetched) {
        long expires = stored.expiresAt().toEpochMilli();
        long maxAgeMillis = stored.policy().document().maxAgeSeconds() * 1000L;
        // RFC 8461 §10.2: refresh ahead of expiry, spread out so that policies fetched together are not all
        // refreshed together; for a short max_age, at most half of it ahead.
        long ahead = Math.min(settings.refreshAhead().toMillis(), maxAgeMillis / 2);
        long jitterBound = Math.min(settings.refreshJitter().toMillis(), maxAgeMillis / 4);
        long jitter = jitterBound > 0 ? random.nextLong(jitterBound) : 0;
        long nextCheck = stored.validatedAt().toEpochMilli()
                + settings.idRecheckInterval().toMillis();
        return Entry.policy(stored, fetched, expires - ahead - jitter, nextCheck);
    }
}
