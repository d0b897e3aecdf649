package org.stsrelay.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.stsrelay.fleet.FleetDatabase;
import org.stsrelay.fleet.FleetFetchCoordinator;
import org.stsrelay.fleet.FleetPolicyStore;
import org.stsrelay.fleet.FleetPolicySync;
import org.stsrelay.policy.cache.FetchCoordinator;
import org.stsrelay.policy.cache.PolicyCache;
import org.stsrelay.policy.cache.PolicyStore;
import org.stsrelay.support.NamedThreads;

/**
 * The policy cache's part in fleet mode: the shared store over the local files, the fleet-wide fetch claims, and
 * the sync that applies other nodes' purges and refreshes and catches up after an outage.
 */
final class SharedPolicies {

    /** How often each node reads the fleet's policy events: a purge reaches every node within this. */
    static final Duration SYNC_PERIOD = Duration.ofSeconds(2);
    /** How often a node waiting for another's fetch looks for the fetched policy. */
    static final Duration CLAIM_POLL = Duration.ofMillis(250);
    // A claim outlives the longest fetch a little, so a waiting node never fetches while the claimer still does.
    private static final Duration CLAIM_MARGIN = Duration.ofSeconds(5);

    private final FleetDatabase database;
    private final PolicyStore files;
    private final Clock clock;
    private final FleetPolicyStore store;
    private final ScheduledExecutorService claims;
    private final FleetFetchCoordinator coordinator;
    private ScheduledFuture<?> syncing;

    SharedPolicies(
            FleetDatabase database, PolicyStore files, Duration fetchTimeout, MeterRegistry registry, Clock clock) {
        this.database = database;
        this.files = files;
        this.clock = clock;
        this.store = new FleetPolicyStore(database, files, clock);
        // Its own thread: a first lookup waiting for a claim must not queue behind the sync's catch-up.
        this.claims = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("policy-fetch-claims"));
        this.coordinator = new FleetFetchCoordinator(
                database, claims, clock, fetchTimeout.plus(CLAIM_MARGIN), CLAIM_POLL, registry);
    }

    PolicyStore store() {
        return store;
    }

    FetchCoordinator coordinator() {
        return coordinator;
    }

    /**
     * Takes the event log's end, then warms {@code cache} up, then follows the log on {@code sync}: no event after
     * the warm-up is missed. Returns how many stored policies the warm-up loaded.
     */
    int start(PolicyCache cache, ScheduledExecutorService sync) {
        FleetPolicySync follower = new FleetPolicySync(database, files, clock, cache::forget);
        follower.start();
        int loaded = cache.warmUp().toCompletableFuture().join();
        syncing = sync.scheduleWithFixedDelay(follower::run, 0, SYNC_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return loaded;
    }

    /** Stops following the log and waiting for claims. */
    void close() {
        if (syncing != null) {
            syncing.cancel(false);
        }
        claims.shutdownNow();
    }
}
