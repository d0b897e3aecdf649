package org.stsrelay.policy.cache;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.stsrelay.policy.DomainNames;
import org.stsrelay.policy.NoPolicyCause;
import org.stsrelay.policy.PolicyLookup;
import org.stsrelay.policy.PolicySource;
import org.stsrelay.policy.resolve.PolicyResolver;

/**
 * The MTA-STS policy cache (RFC 8461 §3, §5.1, §10.2): memory in front of a persistent store, one fetch per domain
 * however many callers wait, ids re-checked, policies refreshed before they expire and never weakened by a failure.
 */
public final class PolicyCache implements PolicySource, PolicyAdmin {

    // Memory is a Caffeine AsyncLoadingCache: its loader gives one load and one refresh per domain at a time, a
    // per-entry Expiry drops entries when the policy expires or after the idle time, and a refresh that fails keeps
    // the old value. What Caffeine has no setting for stays here and in PolicyLoader. The id re-check (RFC 8461 §3)
    // counts from when the policy was last validated, which for a policy read back from the store is before it
    // entered memory, so refreshAfterWrite would check it late; after a failure the next check waits the failure
    // back-off (RFC 8461 §3.3); a proactive refresh fetches even when the TXT lookup fails (RFC 8461 §3.3);
    // background refreshes are capped; and the store keeps policies across restarts (RFC 8461 §10.2).
    private final AsyncLoadingCache<String, Entry> memory;
    private final Clock clock;
    private final CacheMetrics metrics;
    private final StoreAccess store;
    private final EntryFactory entries;
    private final PolicyAdmin admin;
    private final Semaphore refreshPermits;

    private PolicyCache(Builder builder) {
        PolicyResolver resolver = Objects.requireNonNull(builder.resolver, "resolver");
        CacheSettings settings = builder.settings;
        this.clock = builder.clock;
        this.store = new StoreAccess(Objects.requireNonNull(builder.store, "store"), builder.executor);
        this.entries = new EntryFactory(settings, builder.random);
        Caffeine<Object, Object> caffeine = Caffeine.newBuilder()
                .ticker(builder.ticker)
                .executor(new MaintenanceExecutor(builder.executor))
                .maximumSize(settings.maxEntries())
                .recordStats();
        this.metrics = new CacheMetrics(builder.registry);
        PolicyLoader loader = new PolicyLoader(
                resolver, builder.coordinator, store, entries, settings, clock, metrics, this::current);
        this.memory = caffeine.expireAfter(new EntryExpiry(clock, settings.idleEviction()))
                .buildAsync(loader);
        metrics.monitor(memory);
        this.admin = new CacheAdmin(memory, this, resolver, loader, store, entries, clock, metrics);
        // Caffeine bounds neither how many refreshes run at once nor which ones may start, so the cap is ours.
        this.refreshPermits = new Semaphore(settings.maxConcurrentRefreshes());
    }

    /** Returns a builder; a resolver and a store are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public CompletionStage<PolicyLookup> lookup(String policyDomain) {
        String key = DomainNames.isNormal(policyDomain)
                ? policyDomain
                : DomainNames.normalize(policyDomain).orElse(null);
        if (key == null) {
            metrics.noPolicy(NoPolicyCause.NOT_A_DOMAIN);
            return CompletableFuture.completedFuture(new PolicyLookup.NoPolicy(
                    NoPolicyCause.NOT_A_DOMAIN, "\"" + policyDomain + "\" is not a domain name", Optional.empty()));
        }
        CompletableFuture<Entry> slot = memory.getIfPresent(key);
        Entry entry = slot == null ? null : slot.getNow(null);
        if (entry == null) {
            // Absent or still loading: Caffeine runs one load, and every caller waiting for it gets its answer.
            CompletableFuture<Entry> loading = slot == null ? memory.get(key) : slot;
            return loading.thenApply(loaded -> countLoaded(loaded.freshAnswer()));
        }
        long now = clock.millis();
        if (now >= entry.untilMillis()) {
            // RFC 8461 §3.2: the wall clock decides validity, even if Caffeine's ticker has not caught up with it.
            memory.asMap().remove(key, slot);
            return lookup(key);
        }
        if (!entry.hasPolicy()) {
            metrics.noPolicy(((PolicyLookup.NoPolicy) entry.freshAnswer()).cause());
        } else if (now >= entry.nextCheckMillis() && !refreshing(key)) {
            // RFC 8461 §3: the cached policy answers now; its TXT id is re-checked in the background.
            metrics.staleRefresh();
            memory.synchronous().refresh(key);
        } else {
            metrics.hit();
        }
        return entry.cachedAnswer();
    }

    private boolean refreshing(String key) {
        return memory.synchronous().policy().refreshes().containsKey(key);
    }

    // What memory holds for the domain, without counting as a read or delaying the idle eviction.
    private Entry current(String key) {
        return memory.synchronous().policy().getIfPresentQuietly(key);
    }

    private PolicyLookup countLoaded(PolicyLookup answer) {
        if (answer instanceof PolicyLookup.NoPolicy none) {
            metrics.noPolicy(none.cause());
        } else {
            metrics.miss();
        }
        return answer;
    }

    /**
     * Loads every unexpired stored policy into memory; call it before the first delivery after a start
     * (RFC 8461 §10.2: a restart must not open a downgrade window). Expired files are deleted.
     */
    public CompletionStage<Integer> warmUp() {
        return store.readAll().thenApply(all -> {
            int loaded = 0;
            for (StoredPolicy stored : all) {
                if (stored.isValidAt(clock.instant())) {
                    memory.asMap()
                            .putIfAbsent(
                                    stored.policy().domain(),
                                    CompletableFuture.completedFuture(entries.policy(stored, false)));
                    loaded++;
                } else {
                    store.deleteExpiredNow(stored);
                }
            }
            return loaded;
        });
    }

    /**
     * Drops what memory holds for {@code domain}, so the next lookup reads the store again: for a change another
     * user of a shared store made to it. Nothing is deleted from the store.
     */
    public void forget(String domain) {
        DomainNames.normalize(domain).ifPresent(key -> memory.synchronous().invalidate(key));
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
            } else if (entry.hasPolicy()
                    && now >= entry.refreshAtMillis()
                    && now >= entry.nextCheckMillis()
                    && startRefresh(slot.getKey(), entry)) {
                started++;
            }
        }
        memory.synchronous().cleanUp();
        return started;
    }

    private boolean startRefresh(String key, Entry entry) {
        if (refreshing(key) || !refreshPermits.tryAcquire()) {
            return false;
        }
        entry.requestProactive();
        memory.synchronous().refresh(key).whenComplete((done, error) -> refreshPermits.release());
        return true;
    }

    /** Runs {@link #runMaintenance} on {@code scheduler} every {@code period}; cancel the returned future to stop. */
    public ScheduledFuture<?> scheduleMaintenance(ScheduledExecutorService scheduler, Duration period) {
        return scheduler.scheduleAtFixedRate(
                this::runMaintenance, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletionStage<Optional<StoredPolicy>> show(String domain) {
        return admin.show(domain);
    }

    @Override
    public CompletionStage<RefreshReport> refresh(String domain) {
        return admin.refresh(domain);
    }

    @Override
    public CompletionStage<Boolean> purge(String domain) {
        return admin.purge(domain);
    }

    /** Builds a {@link PolicyCache}; every collaborator is injected, time included. */
    public static final class Builder {
        private PolicyResolver resolver;
        private PolicyStore store;
        private FetchCoordinator coordinator = FetchCoordinator.alone();
        private CacheSettings settings = CacheSettings.DEFAULTS;
        private Clock clock = Clock.systemUTC();
        private Ticker ticker = Ticker.systemTicker();
        private Executor executor = ForkJoinPool.commonPool();
        private MeterRegistry registry = new SimpleMeterRegistry();
        private RandomGenerator random = ThreadLocalRandom.current();

        private Builder() {}

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

        /** Sets who decides whether a policy is fetched or taken from a shared store; default: always fetched. */
        public Builder fetchCoordinator(FetchCoordinator value) {
            coordinator = Objects.requireNonNull(value);
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
