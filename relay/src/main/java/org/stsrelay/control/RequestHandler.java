package org.stsrelay.control;

import java.util.concurrent.CompletionStage;

/** The stage that applies one kind of request. */
@FunctionalInterface
public interface RequestHandler {

    /** What applying a request came to. */
    enum Outcome {
        /** Done (or nothing left to do): the request is removed. */
        APPLIED,
        /** Not yet applicable: the request stays and is tried again on the next poll. */
        RETRY
    }

    /** Applies {@code pending}; a failed stage is logged and the request removed, as retrying would fail again. */
    CompletionStage<Outcome> apply(PendingRequest pending);
}
