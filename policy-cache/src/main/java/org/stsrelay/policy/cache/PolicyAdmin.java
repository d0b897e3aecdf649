package org.stsrelay.policy.cache;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Operator actions on cached policies: {@code policy show|refresh|purge}. */
public interface PolicyAdmin {

    /** Returns the cached policy of {@code domain}, from memory or the store, expired or not. */
    CompletionStage<Optional<StoredPolicy>> show(String domain);

    /** Fetches the domain's policy now, whatever the cache holds; a failure keeps a valid cached policy. */
    CompletionStage<RefreshReport> refresh(String domain);

    /** Removes the domain's policy from memory and store (RFC 8461 §10.3); tells whether one was cached. */
    CompletionStage<Boolean> purge(String domain);
}
