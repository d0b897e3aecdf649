package org.stsrelay.policy.cache;

import java.util.Objects;

/** What a {@link FetchCoordinator} tells the cache before a policy fetch: fetch it, or use what another user fetched. */
public sealed interface FetchTurn {

    /** Fetch the policy now; the caller then calls {@link FetchCoordinator#release}. */
    record Fetch() implements FetchTurn {}

    /**
     * Use {@code stored} without fetching: another user of the shared store fetched or confirmed it for the wanted id.
     *
     * @param stored the policy for the wanted id
     */
    record Shared(StoredPolicy stored) implements FetchTurn {

        /** Checks for null. */
        public Shared {
            Objects.requireNonNull(stored, "stored");
        }
    }
}
