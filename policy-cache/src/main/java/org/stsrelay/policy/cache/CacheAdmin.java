package org.stsrelay.policy.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.policy.DomainNames;
import org.stsrelay.policy.NoPolicyCause;
import org.stsrelay.policy.PolicySource;
import org.stsrelay.policy.resolve.Discovery;
import org.stsrelay.policy.resolve.PolicyResolver;
import org.stsrelay.policy.resolve.Retrieval;

/** The operator's actions on the policy cache: show, forced refresh and purge of one domain. */
final class CacheAdmin implements PolicyAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(CacheAdmin.class);

    private final AsyncCache<String, Entry> memory;
    private final PolicySource source;
    private final PolicyResolver resolver;
    private final PolicyLoader loader;
    private final StoreAccess store;
    private final EntryFactory entries;
    private final Clock clock;
    private final CacheMetrics metrics;

    CacheAdmin(
            AsyncCache<String, Entry> memory,
            PolicySource source,
            PolicyResolver resolver,
            PolicyLoader loader,
            StoreAccess store,
            EntryFactory entries,
            Clock clock,
            CacheMetrics metrics) {
        this.memory = memory;
        this.source = source;
        this.resolver = resolver;
        this.loader = loader;
        this.store = store;
        this.entries = entries;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public CompletionStage<Optional<StoredPolicy>> show(String domain) {
        Optional<String> key = DomainNames.normalize(domain);
        if (key.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        CompletableFuture<Entry> slot = memory.getIfPresent(key.get());
        Entry entry = slot == null ? null : slot.getNow(null);
        if (entry != null && entry.hasPolicy()) {
            return CompletableFuture.completedFuture(Optional.of(entry.stored()));
        }
        return store.read(key.get());
    }

    @Override
    public CompletionStage<RefreshReport> refresh(String domain) {
        Optional<String> key = DomainNames.normalize(domain);
        if (key.isEmpty()) {
            Discovery none = new Discovery.Unavailable(NoPolicyCause.NOT_A_DOMAIN, "not a domain name", List.of());
            return source.lookup(domain).thenApply(now -> new RefreshReport(none, Optional.empty(), now));
        }
        String name = key.get();
        return resolver.discover(name).thenCompose(discovery -> {
            if (!(discovery instanceof Discovery.Discovered found)) {
                metrics.refresh("forced", "txt_unavailable");
                return source.lookup(name).thenApply(now -> new RefreshReport(discovery, Optional.empty(), now));
            }
            return loader.retrieve(name, found.record().id())
                    .thenCompose(retrieval -> installForced(name, retrieval)
                            .thenCompose(ignored -> source.lookup(name))
                            .thenApply(now -> new RefreshReport(discovery, Optional.of(retrieval), now)));
        });
    }

    // A forced refresh that fails keeps the cached policy, as a background one does (RFC 8461 §10.2).
    private CompletionStage<Void> installForced(String key, Retrieval retrieval) {
        if (!(retrieval instanceof Retrieval.Retrieved retrieved)) {
            metrics.refresh("forced", "failed");
            return CompletableFuture.completedFuture(null);
        }
        StoredPolicy fresh = new StoredPolicy(retrieved.policy(), clock.instant());
        memory.put(key, CompletableFuture.completedFuture(entries.policy(fresh, false)));
        metrics.refresh("forced", "replaced");
        return store.replace(fresh);
    }

    @Override
    public CompletionStage<Boolean> purge(String domain) {
        Optional<String> key = DomainNames.normalize(domain);
        if (key.isEmpty()) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Entry> slot = memory.asMap().remove(key.get());
        Entry entry = slot == null ? null : slot.getNow(null);
        boolean inMemory = entry != null && entry.hasPolicy();
        LOG.info("purging the cached policy of {}", key.get());
        return store.delete(key.get()).thenApply(deleted -> deleted || inMemory);
    }
}
