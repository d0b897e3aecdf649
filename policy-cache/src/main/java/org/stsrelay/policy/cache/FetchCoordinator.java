package org.stsrelay.policy.cache;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Decides, before the cache fetches a policy over HTTPS, whether it fetches or uses a policy another user of a
 * shared store fetched, so that several caches sharing one store fetch each policy once. A single cache always
 * fetches: {@link #alone()}.
 */
public interface FetchCoordinator {

    /**
     * Takes the fetch of {@code domain}'s policy for {@code id}, or answers with a policy for that id validated
     * after {@code newerThan} that another user stored, waiting a bounded time while another user fetches it. Never
     * fails: when coordination is not possible the answer is {@link FetchTurn.Fetch}.
     */
    CompletionStage<FetchTurn> claim(String domain, String id, Instant newerThan);

    /** Ends a {@link FetchTurn.Fetch} turn once its outcome is stored (or there is none), so others stop waiting. */
    void release(String domain);

    /** The coordinator of a cache that shares its store with nobody: it always fetches. */
    static FetchCoordinator alone() {
        return AloneCoordinator.INSTANCE;
    }
}
