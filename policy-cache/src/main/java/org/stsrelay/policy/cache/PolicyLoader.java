package org.stsrelay.policy.cache;

import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.policy.Mode;
import org.stsrelay.policy.NoPolicyCause;
import org.stsrelay.policy.PolicyLookup;
import org.stsrelay.policy.resolve.Discovery;
import org.stsrelay.policy.resolve.PolicyResolver;
import org.stsrelay.policy.resolve.Retrieval;

/**
 * Caffeine's loader for the policy cache: a load answers from the store or fetches (RFC 8461 §3, §10.2); a reload
 * re-checks the TXT id and refetches, and keeps the cached policy when that fails (RFC 8461 §3.3, §10.2).
 */
final class PolicyLoader implements AsyncCacheLoader<String, Entry> {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyLoader.class);

    private final PolicyResolver resolver;
    private final StoreAccess store;
    private final EntryFactory entries;
    private final CacheSettings settings;
    private final Clock clock;
    private final CacheMetrics metrics;
    private final Function<String, Entry> current;
    private final FetchCoordinator coordinator;

    /** {@code current} returns what memory holds for a domain now, or null, without counting as a read. */
    PolicyLoader(
            PolicyResolver resolver,
            FetchCoordinator coordinator,
            StoreAccess store,
            EntryFactory entries,
            CacheSettings settings,
            Clock clock,
            CacheMetrics metrics,
            Function<String, Entry> current) {
        this.resolver = resolver;
        this.coordinator = coordinator;
        this.store = store;
        this.entries = entries;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
        this.current = current;
    }

    // RFC 8461 §10.2: a policy evicted from memory, or from before a restart, comes back from the store.
    @Override
    public CompletableFuture<Entry> asyncLoad(String key, Executor executor) {
        return store.read(key)
                .thenCompose(found -> found.isPresent() && found.get().isValidAt(clock.instant())
                        ? CompletableFuture.completedFuture(entries.policy(found.get(), false))
                        : resolveFresh(key))
                .handle((entry, error) -> {
                    if (error == null) {
                        return entry;
                    }
                    LOG.error("loading the policy of {} failed unexpectedly", key, error);
                    return Entry.none(
                            new PolicyLookup.NoPolicy(
                                    NoPolicyCause.DNS_FAILURE, "internal error: " + error, Optional.empty()),
                            clock.millis() + backoffMillis());
                })
                .toCompletableFuture();
    }

    private CompletableFuture<Entry> resolveFresh(String key) {
        return resolver.discover(key)
                .thenCompose(discovery -> {
                    if (discovery instanceof Discovery.Unavailable unavailable) {
                        // RFC 8461 §3.1: no usable record means no policy; asked again after the id re-check interval.
                        long retryAt =
                                clock.millis() + settings.idRecheckInterval().toMillis();
                        return CompletableFuture.completedFuture(Entry.none(
                                new PolicyLookup.NoPolicy(unavailable.cause(), unavailable.reason(), Optional.empty()),
                                retryAt));
                    }
                    String id = ((Discovery.Discovered) discovery).record().id();
                    return fetchOnce(key, id, Instant.EPOCH, this::useShared, retrieval -> {
                        if (retrieval instanceof Retrieval.Retrieved retrieved) {
                            StoredPolicy fresh = new StoredPolicy(retrieved.policy(), clock.instant());
                            storeFetched(key, fresh);
                            return entries.policy(fresh, true);
                        }
                        coordinator.release(key);
                        Retrieval.NotRetrieved failed = (Retrieval.NotRetrieved) retrieval;
                        // RFC 8461 §3.3: nothing cached, so deliver as though no MTA-STS, and try again only after
                        // "a period of five minutes or longer".
                        return Entry.none(
                                new PolicyLookup.NoPolicy(
                                        NoPolicyCause.FETCH_FAILED,
                                        "the policy of " + key + " could not be fetched: " + failed.detail(),
                                        Optional.of(failed.resultType())),
                                clock.millis() + backoffMillis());
                    });
                })
                .toCompletableFuture();
    }

    // One fetch per domain and id among the caches that share the store: the coordinator either hands over the
    // policy another one fetched, or gives this cache the turn, which ends once the outcome is stored (storeFetched)
    // or known to be a failure.
    private CompletableFuture<Entry> fetchOnce(
            String key,
            String id,
            Instant newerThan,
            Function<StoredPolicy, Entry> useShared,
            Function<Retrieval, Entry> useFetched) {
        return coordinator
                .claim(key, id, newerThan)
                .toCompletableFuture()
                .thenCompose(turn -> turn instanceof FetchTurn.Shared shared
                        ? CompletableFuture.completedFuture(useShared.apply(shared.stored()))
                        : retrieve(key, id).thenApply(useFetched));
    }

    // A policy another cache fetched is kept in this cache's store too, for its restarts (RFC 8461 §10.2).
    private Entry useShared(StoredPolicy shared) {
        store.write(shared);
        return entries.policy(shared, false);
    }

    private void storeFetched(String key, StoredPolicy fetched) {
        store.write(fetched).whenComplete((done, error) -> coordinator.release(key));
    }

    /** Fetches the policy of {@code key} for {@code id}, counting and logging the outcome. */
    CompletableFuture<Retrieval> retrieve(String key, String id) {
        return resolver.retrieve(key, id)
                .thenApply(retrieval -> {
                    Duration elapsed = retrieval.fetch().elapsed();
                    if (retrieval instanceof Retrieval.NotRetrieved failed) {
                        metrics.fetchFailed(failed.resultType(), elapsed);
                        LOG.warn(
                                "policy fetch for {} failed ({}): {}",
                                key,
                                failed.resultType().token(),
                                failed.detail());
                    } else {
                        metrics.fetched(elapsed);
                        // RFC 8461 §3.2: a tolerated flaw (a clamped max_age, an ignored duplicate) is used, and
                        // logged.
                        ((Retrieval.Retrieved) retrieval)
                                .policy()
                                .document()
                                .notes()
                                .forEach(note ->
                                        LOG.info("policy of {} (id {}) read leniently: {}", key, id, note.message()));
                    }
                    return retrieval;
                })
                .toCompletableFuture();
    }

    // Returning the old entry keeps it; Caffeine drops the result if the entry was replaced or purged meanwhile.
    @Override
    public CompletableFuture<Entry> asyncReload(String key, Entry old, Executor executor) {
        RefreshKind kind = old.takeProactive() ? RefreshKind.PROACTIVE : RefreshKind.ID_CHECK;
        return revalidate(key, old, kind).handle((entry, error) -> {
            if (error == null) {
                return entry;
            }
            LOG.error("revalidating the policy of {} failed unexpectedly", key, error);
            return old;
        });
    }

    private CompletableFuture<Entry> revalidate(String key, Entry old, RefreshKind kind) {
        String cachedId = old.stored().policy().id();
        return resolver.discover(key)
                .thenCompose(discovery -> {
                    if (discovery instanceof Discovery.Discovered found
                            && found.record().id().equals(cachedId)) {
                        // RFC 8461 §3: an unchanged id confirms the cached policy; its validity restarts without a
                        // fetch.
                        Entry confirmed =
                                install(key, old, new StoredPolicy(old.stored().policy(), clock.instant()), false);
                        metrics.refresh(kind.tag(), "unchanged");
                        return CompletableFuture.completedFuture(confirmed);
                    }
                    if (discovery instanceof Discovery.Discovered found) {
                        return fetchOnce(
                                key,
                                found.record().id(),
                                Instant.EPOCH,
                                shared -> share(key, old, shared, kind),
                                r -> apply(key, old, r, kind));
                    }
                    Discovery.Unavailable unavailable = (Discovery.Unavailable) discovery;
                    warnUnavailable(key, old, unavailable);
                    if (kind == RefreshKind.PROACTIVE) {
                        // RFC 8461 §3.3: a background refresh may fetch "regardless of the state of the _mta-sts TXT
                        // record".
                        return fetchOnce(
                                key,
                                cachedId,
                                old.stored().validatedAt(),
                                shared -> share(key, old, shared, kind),
                                r -> apply(key, old, r, kind));
                    }
                    keep(old, settings.idRecheckInterval().toMillis());
                    metrics.refresh(kind.tag(), "txt_unavailable");
                    return CompletableFuture.completedFuture(old);
                })
                .toCompletableFuture();
    }

    // RFC 8461 §3.1, §3.3 and §10.2: a failed refresh never drops or weakens a valid cached policy.
    private Entry apply(String key, Entry old, Retrieval retrieval, RefreshKind kind) {
        if (retrieval instanceof Retrieval.Retrieved retrieved) {
            // RFC 8461 §8.3: a new policy replaces the cached one at once, mode "none" included.
            Entry replaced = install(key, old, new StoredPolicy(retrieved.policy(), clock.instant()), true);
            metrics.refresh(kind.tag(), "replaced");
            LOG.info(
                    "policy of {} replaced: id {} -> {}, mode {}",
                    key,
                    old.stored().policy().id(),
                    retrieved.policy().id(),
                    retrieved.policy().mode().token());
            return replaced;
        }
        coordinator.release(key);
        keep(old, Math.max(settings.idRecheckInterval().toMillis(), backoffMillis()));
        metrics.refresh(kind.tag(), "failed");
        LOG.warn(
                "refresh of the policy of {} failed; keeping cached policy id {} until {}",
                key,
                old.stored().policy().id(),
                old.stored().expiresAt());
        return old;
    }

    // Another cache sharing the store fetched (or confirmed) the policy this refresh wanted.
    private Entry share(String key, Entry old, StoredPolicy shared, RefreshKind kind) {
        metrics.refresh(kind.tag(), "shared");
        LOG.info(
                "policy of {} taken from the shared store: id {} -> {}, validated {}",
                key,
                old.stored().policy().id(),
                shared.policy().id(),
                shared.validatedAt());
        return install(key, old, shared, false);
    }

    private void warnUnavailable(String key, Entry old, Discovery.Unavailable unavailable) {
        StoredPolicy cached = old.stored();
        if (unavailable.cause() == NoPolicyCause.NO_RECORD && cached.policy().mode() == Mode.ENFORCE) {
            metrics.downgradeSuspected();
            LOG.warn(
                    "possible downgrade attack: the _mta-sts record of {} vanished ({}) while enforce policy id {} "
                            + "is cached; it stays in force until {}",
                    key,
                    unavailable.reason(),
                    cached.policy().id(),
                    cached.expiresAt());
        } else {
            LOG.warn(
                    "TXT check of {} failed ({}); keeping cached policy id {} until {}",
                    key,
                    unavailable.reason(),
                    cached.policy().id(),
                    cached.expiresAt());
        }
    }

    // The next re-check waits: Caffeine's refresh has no per-entry retry time, and RFC 8461 §3.3 asks for at least
    // five minutes between failed attempts.
    private void keep(Entry old, long retryInMillis) {
        old.nextCheckMillis(clock.millis() + retryInMillis);
    }

    // Only a refresh of the entry still in memory is stored: a purge or a forced refresh meanwhile wins. A fetched
    // policy ends this cache's fetch turn, whether it is stored or not.
    private Entry install(String key, Entry old, StoredPolicy stored, boolean fetched) {
        if (current.apply(key) != old) {
            if (fetched) {
                coordinator.release(key);
            }
        } else if (fetched) {
            storeFetched(key, stored);
        } else {
            store.write(stored);
        }
        return entries.policy(stored, fetched);
    }

    private long backoffMillis() {
        return settings.failureBackoff().toMillis();
    }
}
