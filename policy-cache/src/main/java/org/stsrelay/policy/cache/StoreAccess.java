package org.stsrelay.policy.cache;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy store as the cache uses it: off the caller's thread, and an I/O error logged and treated as "nothing
 * stored", because a lookup must still be answered (RFC 8461 §5: a sender without a policy delivers as before).
 */
final class StoreAccess {

    private static final Logger LOG = LoggerFactory.getLogger(StoreAccess.class);

    private final PolicyStore store;
    private final Executor executor;

    StoreAccess(PolicyStore store, Executor executor) {
        this.store = store;
        this.executor = executor;
    }

    /** Reads the stored policy of a normalised domain, expired or not. */
    CompletionStage<Optional<StoredPolicy>> read(String key) {
        return CompletableFuture.supplyAsync(() -> readNow(key), executor);
    }

    /** Reads every stored policy; none when the store cannot be read. */
    CompletionStage<List<StoredPolicy>> readAll() {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return store.loadAll();
                    } catch (IOException unreadable) {
                        LOG.error("cannot read the policy store", unreadable);
                        return List.of();
                    }
                },
                executor);
    }

    /** Writes {@code stored} durably, replacing the domain's previous policy. */
    CompletionStage<Void> write(StoredPolicy stored) {
        return CompletableFuture.runAsync(
                () -> {
                    try {
                        store.save(stored);
                    } catch (IOException unwritable) {
                        LOG.error(
                                "cannot store the policy of {}", stored.policy().domain(), unwritable);
                    }
                },
                executor);
    }

    /** Writes a policy an operator had fetched anew, replacing the domain's previous policy. */
    CompletionStage<Void> replace(StoredPolicy stored) {
        return CompletableFuture.runAsync(
                () -> {
                    try {
                        store.replace(stored);
                    } catch (IOException unwritable) {
                        LOG.error(
                                "cannot store the policy of {}", stored.policy().domain(), unwritable);
                    }
                },
                executor);
    }

    /** Deletes the domain's stored policy; tells whether there was one. */
    CompletionStage<Boolean> delete(String key) {
        return CompletableFuture.supplyAsync(() -> deleteNow(key), executor);
    }

    private boolean deleteNow(String key) {
        try {
            return store.delete(key);
        } catch (IOException undeletable) {
            LOG.error("cannot delete the stored policy of {}", key, undeletable);
            return false;
        }
    }

    /** Deletes a policy found expired, on the calling thread, for work already running on the executor. */
    boolean deleteExpiredNow(StoredPolicy expired) {
        try {
            return store.deleteExpired(expired);
        } catch (IOException undeletable) {
            LOG.error("cannot delete the expired policy of {}", expired.policy().domain(), undeletable);
            return false;
        }
    }

    private Optional<StoredPolicy> readNow(String key) {
        try {
            return store.load(key);
        } catch (IOException unreadable) {
            LOG.error("cannot read the stored policy of {}", key, unreadable);
            return Optional.empty();
        }
    }
}
