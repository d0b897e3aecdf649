package org.stsrelay.policy.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.policy.DomainNames;
import org.stsrelay.policy.Mode;
import org.stsrelay.policy.NoPolicyCause;
import org.stsrelay.policy.PolicyLookup;
import org.stsrelay.policy.PolicySource;
import org.stsrelay.policy.resolve.Discovery;
import org.stsrelay.policy.resolve.PolicyResolver;
import org.stsrelay.policy.resolve.Retrieval;

/**
 * The MTA-STS policy cache (RFC 8461 §3, §5.1, §10.2): memory in front of a persistent store, one fetch per domain
 * however many callers wait, ids re-checked, policies refreshed before they expire and never weakened by a failure.
 */
public final class PolicyCache implements PolicySource, PolicyAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyCache.class);

    private final PolicyResolver resolver;
    private final PolicyStore store;
    private final CacheSettings settings;
    private final Clock clock;
    private final Executor executor;
    private final RandomGenerator random;
    private final AsyncCache<String, Entry> memory;
    private final CacheMetrics metrics;
    private final Semaphore refreshPermits;

    private PolicyCache(Builder builder) {
        this.resolver = Objects.requireNonNull(builder.resolver, "resolver");
        this.store = Objects.requireNonNull(builder.store, "store");
        this.settings = builder.settings;
        this.clock = builder.clock;
        this.executor = builder.executor;
        this.random = builder.random;
        this.memory = Caffeine.newBuilder()
                .ticker(builder.ticker)
                .executor(maintenance(builder.executor))
                .expireAfterAccess(settings.idleEviction())
                .maximumSize(settings.maxEntries())
                .recordStats()
                .buildAsync();
        this.metrics = new CacheMetrics(builder.registry, memory);
        this.refreshPermits = new Semaphore(settings.maxConcurrentRefreshes());
    }

    // A load that completes while the owner stops its executor still triggers maintenance; Caffeine
    // would then run it on the calling thread after logging a stack trace, so do that quietly.
    private static Executor maintenance(Executor executor) {
        return task -> {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException stopping) {
                task.run();
            }
        };
    }

    /** Returns a builder; a resolver and a store are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public CompletionStage<PolicyLookup> lookup(String policyDomain) {
        String key = DomainNames.isNormal(policyDomain) ? policyDomain : DomainNames.normalize(policyDomain).orElse(null);
        if (key == null) {
            metrics.noPolicy(NoPolicyCause.NOT_A_DOMAIN);
            return CompletableFuture.completedFuture(new PolicyLookup.NoPolicy(NoPolicyCause.NOT_A_DOMAIN,
                    "\"" + policyDomain + "\" is not a domain name", Optional.empty()));
        }
        CompletableFuture<Entry> slot = memory.getIfPresent(key);
        if (slot == null) {
            return load(key, null);
        }
        Entry entry = slot.getNow(null);
        if (entry == null) {
            return slot.thenApply(loaded -> count(loaded.freshAnswer(), true));
        }
        long now = clock.millis();
        if (now >= entry.untilMillis()) {
            return load(key, slot);
        }
        if (!entry.hasPolicy()) {
            metrics.noPolicy(((PolicyLookup.NoPolicy) entry.freshAnswer()).cause());
        } else if (now >= entry.nextCheckMillis() && entry.claim()) {
            // RFC 8461 §3: the cached policy answers now; its TXT id is re-checked in the background.
            metrics.staleRefresh();
            revalidate(key, slot, entry, Refresh.ID_CHECK);
        } else {
            metrics.hit();
        }
        return entry.cachedAnswer();
    }

    private CompletionStage<PolicyLookup> load(String key, CompletableFuture<Entry> previous) {
        CompletableFuture<Entry> mine = new CompletableFuture<>();
        boolean won = previous == null
                ? memory.asMap().putIfAbsent(key, mine) == null
                : memory.asMap().replace(key, previous, mine);
        if (!won) {
            return lookup(key);
        }
        loadEntry(key, previous == null).whenComplete((entry, error) -> {
            if (error != null) {
                LOG.error("loading the policy of {} failed unexpectedly", key, error);
                mine.complete(Entry.none(new PolicyLookup.NoPolicy(NoPolicyCause.DNS_FAILURE,
                        "internal error: " + error, Optional.empty()), clock.millis() + backoffMillis()));
            } else {
                mine.complete(entry);
            }
        });
        return mine.thenApply(entry -> count(entry.freshAnswer(), true));
    }

    // RFC 8461 §10.2: a policy evicted from memory, or from before a restart, comes back from the store.
    private CompletionStage<Entry> loadEntry(String key, boolean consultStore) {
        CompletionStage<Optional<StoredPolicy>> stored = consultStore
                ? CompletableFuture.supplyAsync(() -> readStore(key), executor)
                : CompletableFuture.completedFuture(Optional.empty());
        return stored.thenCompose(found -> found.isPresent() && found.get().isValidAt(clock.instant())
                ? CompletableFuture.completedFuture(entryFor(found.get(), false))
                : resolveFresh(key));
    }

    private CompletionStage<Entry> resolveFresh(String key) {
        return resolver.discover(key).thenCompose(discovery -> {
            if (discovery instanceof Discovery.Unavailable unavailable) {
                return CompletableFuture.completedFuture(Entry.none(new PolicyLookup.NoPolicy(unavailable.cause(),
                        unavailable.reason(), Optional.empty()), clock.millis() + settings.idRecheckInterval().toMillis()));
            }
            String id = ((Discovery.Discovered) discovery).record().id();
            return retrieve(key, id).thenApply(retrieval -> {
                if (retrieval instanceof Retrieval.Retrieved retrieved) {
                    StoredPolicy fresh = new StoredPolicy(retrieved.policy(), clock.instant());
                    persist(fresh);
                    return entryFor(fresh, true);
                }
                Retrieval.NotRetrieved failed = (Retrieval.NotRetrieved) retrieval;
                // RFC 8461 §3.3: nothing cached, so deliver as though no MTA-STS; back off per B10.
                return Entry.none(new PolicyLookup.NoPolicy(NoPolicyCause.FETCH_FAILED, "the policy of " + key
                        + " could not be fetched: " + failed.detail(), Optional.of(failed.resultType())),
                        clock.millis() + backoffMillis());
            });
        });
    }

    private CompletionStage<Retrieval> retrieve(String key, String id) {
        return resolver.retrieve(key, id).thenApply(retrieval -> {
            Duration elapsed = retrieval.fetch().elapsed();
            if (retrieval instanceof Retrieval.NotRetrieved failed) {
                metrics.fetchFailed(failed.resultType(), elapsed);
                LOG.warn("policy fetch for {} failed ({}): {}", key, failed.resultType().token(), failed.detail());
            } else {
                metrics.fetched(elapsed);
            }
            return retrieval;
        });
    }

    /** The kinds of background or operator refresh, as metric tags. */
    private enum Refresh {
        ID_CHECK("id_check"), PROACTIVE("proactive");

        final String tag;

        Refresh(String tag) {
            this.tag = tag;
        }
    }

    private CompletionStage<Void> revalidate(String key, CompletableFuture<Entry> slot, Entry entry, Refresh kind) {
        String cachedId = entry.stored().policy().id();
        return resolver.discover(key).thenCompose(discovery -> {
            if (discovery instanceof Discovery.Discovered found && found.record().id().equals(cachedId)) {
                // RFC 8461 §3: an unchanged id confirms the cached policy; its validity restarts without a fetch.
                install(key, slot, new StoredPolicy(entry.stored().policy(), clock.instant()), false);
                metrics.refresh(kind.tag, "unchanged");
                return CompletableFuture.<Void>completedFuture(null);
            }
            if (discovery instanceof Discovery.Discovered found) {
                return retrieve(key, found.record().id()).thenAccept(r -> apply(key, slot, entry, r, kind));
            }
            Discovery.Unavailable unavailable = (Discovery.Unavailable) discovery;
            warnUnavailable(key, entry, unavailable);
            if (kind == Refresh.PROACTIVE) {
                // RFC 8461 §3.3: a background refresh may fetch "regardless of the state of the _mta-sts TXT record".
                return retrieve(key, cachedId).thenAccept(r -> apply(key, slot, entry, r, kind));
            }
            keep(entry, settings.idRecheckInterval().toMillis());
            metrics.refresh(kind.tag, "txt_unavailable");
            return CompletableFuture.<Void>completedFuture(null);
        }).whenComplete((done, error) -> {
            entry.release();
            if (error != null) {
                LOG.error("revalidating the policy of {} failed unexpectedly", key, error);
            }
        });
    }

    // RFC 8461 §3.1, §3.3 and §10.2 (A9, D4): a failed refresh never drops or weakens a valid cached policy.
    private void apply(String key, CompletableFuture<Entry> slot, Entry entry, Retrieval retrieval, Refresh kind) {
        if (retrieval instanceof Retrieval.Retrieved retrieved) {
            // A new policy replaces the cached one at once, mode "none" included (RFC 8461 §8.3).
            install(key, slot, new StoredPolicy(retrieved.policy(), clock.instant()), true);
            metrics.refresh(kind.tag, "replaced");
            LOG.info("policy of {} replaced: id {} -> {}, mode {}", key, entry.stored().policy().id(),
                    retrieved.policy().id(), retrieved.policy().mode().token());
            return;
        }
        keep(entry, Math.max(settings.idRecheckInterval().toMillis(), backoffMillis()));
        metrics.refresh(kind.tag, "failed");
        LOG.warn("refresh of the policy of {} failed; keeping cached policy id {} until {}", key,
                entry.stored().policy().id(), entry.stored().expiresAt());
    }

    private void warnUnavailable(String key, Entry entry, Discovery.Unavailable unavailable) {
        StoredPolicy cached = entry.stored();
        if (unavailable.cause() == NoPolicyCause.NO_RECORD && cached.policy().mode() == Mode.ENFORCE) {
            metrics.downgradeSuspected();
            LOG.warn("possible downgrade attack: the _mta-sts record of {} vanished ({}) while enforce policy id {} "
                    + "is cached; it stays in force until {}", key, unavailable.reason(), cached.policy().id(),
                    cached.expiresAt());
        } else {
            LOG.warn("TXT check of {} failed ({}); keeping cached policy id {} until {}", key, unavailable.reason(),
                    cached.policy().id(), cached.expiresAt());
        }
    }

    private void keep(Entry entry, long retryInMillis) {
        entry.nextCheckMillis(clock.millis() + retryInMillis);
    }

    private void install(String key, CompletableFuture<Entry> slot, StoredPolicy stored, boolean fetched) {
        if (memory.asMap().replace(key, slot, CompletableFuture.completedFuture(entryFor(stored, fetched)))) {
            persist(stored);
        }
    }

    private Entry entryFor(StoredPolicy stored, boolean fetched) {
        long expires = stored.expiresAt().toEpochMilli();
        long maxAgeMillis = stored.policy().document().maxAgeSeconds() * 1000L;
        long ahead = Math.min(settings.refreshAhead().toMillis(), maxAgeMillis / 2);
        long jitterBound = Math.min(settings.refreshJitter().toMillis(), maxAgeMillis / 4);
        long jitter = jitterBound > 0 ? random.nextLong(jitterBound) : 0;
        long nextCheck = stored.validatedAt().toEpochMilli() + settings.idRecheckInterval().toMillis();
        return Entry.policy(stored, fetched, expires - ahead - jitter, nextCheck);
    }

    private PolicyLookup count(PolicyLookup answer, boolean loaded) {
        if (answer instanceof PolicyLookup.NoPolicy none) {
            metrics.noPolicy(none.cause());
        } else if (loaded) {
            metrics.miss();
        } else {
            metrics.hit();
        }
        return answer;
    }

    private long backoffMillis() {
        return settings.failureBackoff().toMillis();
    }

    private Optional<StoredPolicy> readStore(String key) {
        try {
            return store.load(key);
        } catch (IOException unreadable) {
            LOG.error("cannot read the stored policy of {}", key, unreadable);
            return Optional.empty();
        }
    }

    private CompletionStage<Void> persist(StoredPolicy stored) {
        return CompletableFuture.runAsync(() -> {
            try {
                store.save(stored);
            } catch (IOException unwritable) {
                LOG.error("cannot store the policy of {}", stored.policy().domain(), unwritable);
            }
        }, executor);
    }

    /**
     * Loads every unexpired stored policy into memory; call it before the first delivery after a start
     * (RFC 8461 §10.2: a restart must not open a downgrade window). Expired files are deleted.
     */
    public CompletionStage<Integer> warmUp() {
        return CompletableFuture.supplyAsync(() -> {
            List<StoredPolicy> all;
            try {
                all = store.loadAll();
            } catch (IOException unreadable) {
                LOG.error("cannot read the policy store", unreadable);
                return 0;
            }
            int loaded = 0;
            for (StoredPolicy stored : all) {
                if (stored.isValidAt(clock.instant())) {
                    memory.asMap().putIfAbsent(stored.policy().domain(),
                            CompletableFuture.completedFuture(entryFor(stored, false)));
                    loaded++;
                } else {
                    deleteQuietly(stored.policy().domain());
                }
            }
            return loaded;
        }, executor);
    }

    /**
     * Starts background refreshes of in-use policies near expiry, at most the configured number at once
     * (RFC 8461 §3.3, §10.2), and drops expired entries from memory; returns how many refreshes started.
     */
    public int runMaintenance() {
        long now = clock.millis();
        int started = 0;
        for (Map.Entry<String, CompletableFuture<Entry>> slot : memory.asMap().entrySet()) {
            Entry entry = slot.getValue().getNow(null);
            if (entry == null) {
                continue;
            }
            if (now >= entry.untilMillis()) {
                memory.asMap().remove(slot.getKey(), slot.getValue());
            } else if (entry.hasPolicy() && now >= entry.refreshAtMillis() && now >= entry.nextCheckMillis()
                    && startRefresh(slot.getKey(), slot.getValue(), entry)) {
                started++;
            }
        }
        return started;
    }

    private boolean startRefresh(String key, CompletableFuture<Entry> slot, Entry entry) {
        if (!refreshPermits.tryAcquire()) {
            return false;
        }
        if (!entry.claim()) {
            refreshPermits.release();
            return false;
        }
        revalidate(key, slot, entry, Refresh.PROACTIVE).whenComplete((done, error) -> refreshPermits.release());
        return true;
    }

    /** Runs {@link #runMaintenance} on {@code scheduler} every {@code period}; cancel the returned future to stop. */
    public ScheduledFuture<?> scheduleMaintenance(ScheduledExecutorService scheduler, Duration period) {
        return scheduler.scheduleAtFixedRate(this::runMaintenance, period.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
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
        return CompletableFuture.supplyAsync(() -> readStore(key.get()), executor);
    }

    @Override
    public CompletionStage<RefreshReport> refresh(String domain) {
        Optional<String> key = DomainNames.normalize(domain);
        if (key.isEmpty()) {
            Discovery none = new Discovery.Unavailable(NoPolicyCause.NOT_A_DOMAIN, "not a domain name", List.of());
            return lookup(domain).thenApply(now -> new RefreshReport(none, Optional.empty(), now));
        }
        String name = key.get();
        return resolver.discover(name).thenCompose(discovery -> {
            if (!(discovery instanceof Discovery.Discovered found)) {
                metrics.refresh("forced", "txt_unavailable");
                return lookup(name).thenApply(now -> new RefreshReport(discovery, Optional.empty(), now));
            }
            return retrieve(name, found.record().id()).thenCompose(retrieval -> installForced(name, retrieval)
                    .thenCompose(ignored -> lookup(name))
                    .thenApply(now -> new RefreshReport(discovery, Optional.of(retrieval), now)));
        });
    }

    private CompletionStage<Void> installForced(String key, Retrieval retrieval) {
        if (!(retrieval instanceof Retrieval.Retrieved retrieved)) {
            metrics.refresh("forced", "failed");
            return CompletableFuture.completedFuture(null);
        }
        StoredPolicy fresh = new StoredPolicy(retrieved.policy(), clock.instant());
        memory.put(key, CompletableFuture.completedFuture(entryFor(fresh, false)));
        metrics.refresh("forced", "replaced");
        return persist(fresh);
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
        return CompletableFuture.supplyAsync(() -> deleteQuietly(key.get()) || inMemory, executor);
    }

    private boolean deleteQuietly(String key) {
        try {
            return store.delete(key);
        } catch (IOException undeletable) {
            LOG.error("cannot delete the stored policy of {}", key, undeletable);
            return false;
        }
    }

    /** Builds a {@link PolicyCache}; every collaborator is injected, time included. */
    public static final class Builder {
        private PolicyResolver resolver;
        private PolicyStore store;
        private CacheSettings settings = CacheSettings.DEFAULTS;
        private Clock clock = Clock.systemUTC();
        private Ticker ticker = Ticker.systemTicker();
        private Executor executor = ForkJoinPool.commonPool();
        private MeterRegistry registry = new SimpleMeterRegistry();
        private RandomGenerator random = ThreadLocalRandom.current();

        private Builder() {
        }

        /** Sets the resolver that discovers and fetches policies (required). */
        public Builder resolver(PolicyResolver value) {
            resolver = Objects.requireNonNull(value);
            return this;
        }

        /** Sets the persistent store (required). */
        public Builder store(PolicyStore value) {
            store = Objects.requireNonNull(value);
            return this;
        }

        /** Sets the timing and size settings; default {@link CacheSettings#DEFAULTS}. */
        public Builder settings(CacheSettings value) {
            settings = Objects.requireNonNull(value);
            return this;
        }

        /** Sets the wall clock that policy validity is measured with. */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value);
            return this;
        }

        /** Sets the ticker that memory eviction is measured with. */
        public Builder ticker(Ticker value) {
            ticker = Objects.requireNonNull(value);
            return this;
        }

        /** Sets the executor for store I/O and cache maintenance; never an event loop. */
        public Builder executor(Executor value) {
            executor = Objects.requireNonNull(value);
            return this;
        }

        /** Sets the registry the cache's meters go to. */
        public Builder meterRegistry(MeterRegistry value) {
            registry = Objects.requireNonNull(value);
            return this;
        }

        /** Sets the random source for refresh jitter. */
        public Builder random(RandomGenerator value) {
            random = Objects.requireNonNull(value);
            return this;
        }

        /** Builds the cache. */
        public PolicyCache build() {
            return new PolicyCache(this);
        }
    }
}
