package org.stsrelay.fleet;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.policy.cache.FetchCoordinator;
import org.stsrelay.policy.cache.FetchTurn;
import org.stsrelay.policy.cache.StoredPolicy;

/**
 * One fleet-wide HTTPS fetch per domain and refresh: a node claims the fetch in {@code policy_fetch_claims} with a
 * short lease; the others poll the {@code policies} row until the wanted policy appears and use it. Every doubt
 * ends in a fetch of one's own, never in no policy: a dead database, a claim that outlives its lease, a wait that
 * outlasts the bound.
 */
public final class FleetFetchCoordinator implements FetchCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger(FleetFetchCoordinator.class);
    private static final CompletionStage<FetchTurn> FETCH = CompletableFuture.completedStage(new FetchTurn.Fetch());

    private final FleetDatabase database;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Duration lease;
    private final Duration poll;
    private final Counter shared;

    /**
     * A coordinator that runs its database calls and waits on {@code scheduler}; a claim lasts {@code lease} (the
     * fetch timeout and a margin), which also bounds how long a node waits for another's fetch, polling every
     * {@code poll}.
     */
    public FleetFetchCoordinator(
            FleetDatabase database,
            ScheduledExecutorService scheduler,
            Clock clock,
            Duration lease,
            Duration poll,
            MeterRegistry registry) {
        if (lease.isNegative() || lease.isZero() || poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("lease and poll must be positive");
        }
        this.database = database;
        this.scheduler = scheduler;
        this.clock = clock;
        this.lease = lease;
        this.poll = poll;
        this.shared = Counter.builder("sts.relay.cluster.policy.shared")
                .description("Policy fetches avoided because another node of the fleet fetched the policy")
                .register(registry);
    }

    @Override
    public CompletionStage<FetchTurn> claim(String domain, String id, Instant newerThan) {
        if (!database.reachable()) {
            return FETCH;
        }
        CompletableFuture<FetchTurn> turn = new CompletableFuture<>();
        long attempts = Math.max(1, lease.toMillis() / poll.toMillis());
        try {
            scheduler.execute(() -> attempt(new Wanted(domain, id, newerThan), attempts, turn));
        } catch (RejectedExecutionException stopping) {
            return FETCH;
        }
        return turn;
    }

    private void attempt(Wanted wanted, long attemptsLeft, CompletableFuture<FetchTurn> turn) {
        // The claim is taken before the row is read: a claimer stores its row before it releases its claim, so a
        // claim found free is followed by a read (a new snapshot) that sees that row. Read first, and the row could
        // be missed and the claim then found released: a second fetch.
        Optional<Step> step = database.call("policy_fetch_claim", c -> {
            Instant now = clock.instant();
            boolean taken = FetchClaims.take(c, wanted.domain(), database.node(), now, now.plus(lease));
            Optional<StoredPolicy> row = PolicyRows.find(c, wanted.domain());
            if (row.isPresent() && wanted.isMetBy(row.get(), now)) {
                if (taken) {
                    FetchClaims.release(c, wanted.domain(), database.node());
                }
                return new Step.Use(row.get());
            }
            return taken ? new Step.Fetch() : new Step.Wait();
        });
        if (step.isEmpty() || step.get() instanceof Step.Fetch) {
            turn.complete(new FetchTurn.Fetch());
        } else if (step.get() instanceof Step.Use use) {
            shared.increment();
            turn.complete(new FetchTurn.Shared(use.stored()));
        } else if (attemptsLeft <= 1) {
            LOG.info("waited {} for another node to fetch the policy of {}; fetching it here", lease, wanted.domain());
            turn.complete(new FetchTurn.Fetch());
        } else {
            try {
                scheduler.schedule(
                        () -> attempt(wanted, attemptsLeft - 1, turn), poll.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                turn.complete(new FetchTurn.Fetch());
            }
        }
    }

    @Override
    public void release(String domain) {
        if (!database.reachable()) {
            return;
        }
        try {
            scheduler.execute(() -> database.call("policy_fetch_release", c -> {
                FetchClaims.release(c, domain, database.node());
                return Boolean.TRUE;
            }));
        } catch (RejectedExecutionException stopping) {
            // The lease ends the claim.
        }
    }

    /** The policy a fetch is for: the TXT id, and for a proactive refresh a validation newer than the cached one. */
    private record Wanted(String domain, String id, Instant newerThan) {

        // RFC 8461 §3: the id identifies the policy, so a valid row with the wanted id is the wanted policy.
        boolean isMetBy(StoredPolicy row, Instant now) {
            return row.policy().id().equals(id)
                    && row.isValidAt(now)
                    && PolicyRows.micros(row.validatedAt()).isAfter(PolicyRows.micros(newerThan));
        }
    }

    /** What one look at the database decided. */
    private sealed interface Step {
        record Use(StoredPolicy stored) implements Step {}

        record Fetch() implements Step {}

        record Wait() implements Step {}
    }
}
