package org.stsrelay.policy.cache;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The coordinator of a cache whose store nobody else uses: every fetch is its own. */
enum AloneCoordinator implements FetchCoordinator {
    INSTANCE;

    // A minimal stage: shared by every caller, and none of them can complete it.
    private static final CompletionStage<FetchTurn> FETCH = CompletableFuture.completedStage(new FetchTurn.Fetch());

    @Override
    public CompletionStage<FetchTurn> claim(String domain, String id, Instant newerThan) {
        return FETCH;
    }

    @Override
    public void release(String domain) {}
}
