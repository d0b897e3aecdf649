package org.stsrelay.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.stsrelay.config.ClusterConfig;
import org.stsrelay.policy.ParseResult;
import org.stsrelay.policy.Policy;
import org.stsrelay.policy.PolicyLookup;
import org.stsrelay.policy.PolicyParser;
import org.stsrelay.policy.cache.FetchCoordinator;
import org.stsrelay.policy.cache.FetchTurn;
import org.stsrelay.policy.cache.PolicyCache;
import org.stsrelay.policy.cache.PolicyStore;
import org.stsrelay.policy.cache.StoredPolicy;
import org.stsrelay.policy.resolve.PolicyResolver;
import org.stsrelay.policy.testing.FakeDns;
import org.stsrelay.policy.testing.FakeFetcher;
import org.stsrelay.policy.testing.FakeTime;
import org.stsrelay.world.PostgresServer;

/**
 * The shared policy store against a real PostgreSQL: several policy caches in one JVM, each a fleet node with its
 * own local directory, sharing one database, one DNS and one counting fetcher. Each test uses its own domain.
 */
class FleetPolicyStoreIT {

    private static final String ENFORCE = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n";
    private static final String ENFORCE_V2 = "version: STSv1\nmode: enforce\nmx: *.example.com\nmax_age: 86400\n";
    private static final Duration LEASE = Duration.ofSeconds(10);
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static PostgresServer postgres;

    @TempDir
    static Path passwords;

    @TempDir
    Path nodesDirectory;

    private final FakeTime time = new FakeTime(Instant.parse("2026-03-01T00:00:00Z"));
    private final FakeDns dns = new FakeDns();
    private final FakeFetcher fetcher = new FakeFetcher();
    private final ExecutorService io = Executors.newFixedThreadPool(4);
    private final List<Node> nodes = new ArrayList<>();

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(Node::close);
        io.shutdownNow();
    }

    /** One relay's policy side: its database pool, local files, store, claims, cache and event sync. */
    private final class Node {
        final String name;
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final FleetDatabase database;
        final PolicyStore files;
        final FleetPolicyStore store;
        final ScheduledExecutorService claims = Executors.newSingleThreadScheduledExecutor();
        final AtomicInteger claimCalls = new AtomicInteger();
        final PolicyCache cache;
        final FleetPolicySync sync;

        Node(String name) throws Exception {
            this.name = name;
            Path password = postgres.writePasswordFile(passwords.resolve("password-" + name));
            database = FleetDatabase.open(
                    new ClusterConfig.Database(
                            postgres.jdbcUrl(),
                            PostgresServer.USER,
                            Optional.of(password),
                            name,
                            Duration.ofSeconds(10)),
                    registry);
            files = PolicyStore.files(nodesDirectory.resolve(name));
            store = new FleetPolicyStore(database, files, time);
            FleetFetchCoordinator coordinator =
                    new FleetFetchCoordinator(database, claims, time, LEASE, Duration.ofMillis(50), registry);
            cache = PolicyCache.builder()
                    .resolver(new PolicyResolver(dns, fetcher, time))
                    .fetchCoordinator(counting(coordinator))
                    .store(store)
                    .clock(time)
                    .ticker(time)
                    .executor(io)
                    .meterRegistry(registry)
                    .random(new Random(7))
                    .build();
            sync = new FleetPolicySync(database, files, time, cache::forget);
            assertThat(sync.start()).isTrue();
        }

        private FetchCoordinator counting(FetchCoordinator coordinator) {
            return new FetchCoordinator() {
                @Override
                public CompletionStage<FetchTurn> claim(String domain, String id, Instant newerThan) {
                    claimCalls.incrementAndGet();
                    return coordinator.claim(domain, id, newerThan);
                }

                @Override
                public void release(String domain) {
                    coordinator.release(domain);
                }
            };
        }

        CompletableFuture<PolicyLookup> lookup(String domain) {
            return cache.lookup(domain).toCompletableFuture();
        }

        PolicyLookup.Found found(String domain) {
            PolicyLookup answer =
                    lookup(domain).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
            assertThat(answer).isInstanceOf(PolicyLookup.Found.class);
            return (PolicyLookup.Found) answer;
        }

        Optional<StoredPolicy> localFile(String domain) throws Exception {
            return files.load(domain);
        }

        // The cache stores a policy it loaded in the background, after the lookup is answered.
        void awaitLocalFile(String domain) {
            eventually(domain + " in the local store of " + name, () -> {
                try {
                    return files.load(domain).isPresent();
                } catch (IOException unreadable) {
                    return false;
                }
            });
        }

        double counter(String name) {
            var counter = registry.find(name).counter();
            return counter == null ? 0 : counter.count();
        }

        double databaseErrors(String operation) {
            var counter = registry.find("sts.relay.cluster.database.errors")
                    .tag("operation", operation)
                    .counter();
            return counter == null ? 0 : counter.count();
        }

        void close() {
            claims.shutdownNow();
            database.close();
        }
    }

    private Node node(String name) throws Exception {
        Node node = new Node(name);
        nodes.add(node);
        return node;
    }

    private void publish(String domain, String id, String policy) {
        dns.txt("_mta-sts." + domain, "v=STSv1; id=" + id + ";");
        fetcher.serve(domain, policy);
    }

    private static StoredPolicy stored(String domain, String id, String text, Instant validatedAt) {
        ParseResult.Valid valid = (ParseResult.Valid) PolicyParser.parse(text);
        return new StoredPolicy(new Policy(domain, id, valid.document(), validatedAt), validatedAt);
    }

    private static long rows(String domain) {
        return postgres.number("SELECT count(*) FROM policies WHERE domain = '" + domain + "'");
    }

    private static long events(String domain, String kind) {
        return postgres.number(
                "SELECT count(*) FROM policy_events WHERE domain = '" + domain + "' AND kind = '" + kind + "'");
    }

    // Waits for a condition another thread brings about, up to a bound; the tests never sleep a fixed time.
    private static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionFailedError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    @Test
    @DisplayName("RFC 8461 §3.3, §10.2: one fetch serves every node; the others read the shared row and keep a copy")
    void oneFetchServesEveryNodeInTurn() throws Exception {
        String d = "sequential.example";
        publish(d, "one", ENFORCE);
        Node a = node("seq-a");
        Node b = node("seq-b");
        Node c = node("seq-c");
        assertThat(a.found(d).fromCache()).isFalse();
        assertThat(b.found(d).policy().text()).isEqualTo(ENFORCE);
        assertThat(c.found(d).policy().text()).isEqualTo(ENFORCE);
        assertThat(fetcher.fetches()).isEqualTo(1);
        b.awaitLocalFile(d);
        c.awaitLocalFile(d);
        assertThat(postgres.number("SELECT count(*) FROM policy_fetch_claims WHERE domain = '" + d + "'"))
                .isZero();
    }

    // Repeated: which node claims, and when the others look, differ from run to run.
    @RepeatedTest(
            value = 5,
            name = "RFC 8461 §3.3: concurrent first lookups on three nodes make one fetch ({currentRepetition})")
    void concurrentLoadsMakeOneFetch(RepetitionInfo run) throws Exception {
        String d = "concurrent-" + run.getCurrentRepetition() + ".example";
        publish(d, "one", ENFORCE);
        String prefix = "con" + run.getCurrentRepetition() + "-";
        List<Node> three = List.of(node(prefix + "a"), node(prefix + "b"), node(prefix + "c"));
        CompletableFuture<Void> gate = fetcher.hold();
        List<CompletableFuture<PolicyLookup>> lookups =
                three.stream().map(n -> n.lookup(d)).toList();
        // One node holds the claim and is fetching; the two others asked for the turn while it does.
        eventually("one fetch to start", () -> fetcher.fetches() == 1);
        eventually("every node to ask for the fetch", () -> three.stream().allMatch(n -> n.claimCalls.get() == 1));
        gate.complete(null);
        for (CompletableFuture<PolicyLookup> lookup : lookups) {
            PolicyLookup answer =
                    lookup.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
            assertThat(answer).isInstanceOf(PolicyLookup.Found.class);
            assertThat(((PolicyLookup.Found) answer).policy().text()).isEqualTo(ENFORCE);
        }
        assertThat(fetcher.fetches()).isEqualTo(1);
        assertThat(three.stream()
                        .mapToDouble(n -> n.counter("sts.relay.cluster.policy.shared"))
                        .sum())
                .isEqualTo(2);
        three.forEach(n -> n.awaitLocalFile(d));
    }

    @Test
    @DisplayName("RFC 8461 §10.2: an older save never replaces a row validated later, and the older node catches up")
    void neverDowngrade() throws Exception {
        String d = "downgrade.example";
        Node a = node("down-a");
        Node b = node("down-b");
        StoredPolicy newer = stored(d, "two", ENFORCE_V2, time.instant());
        StoredPolicy older = stored(d, "one", ENFORCE, time.instant().minus(Duration.ofHours(1)));
        a.store.save(newer);
        b.store.save(older);
        assertThat(postgres.number("SELECT count(*) FROM policies WHERE domain = '" + d + "' AND policy_id = 'two'"))
                .isEqualTo(1);
        assertThat(b.store.load(d)).contains(newer);
        assertThat(b.localFile(d)).contains(newer);
    }

    @Test
    @DisplayName("RFC 8461 §10.3: a save racing a purge on another node never brings the purged policy back")
    void saveAfterPurgeStaysPurged() throws Exception {
        String d = "late-save.example";
        Node a = node("late-a");
        Node b = node("late-b");
        StoredPolicy before = stored(d, "one", ENFORCE, time.instant());
        a.store.save(before);
        time.advance(Duration.ofMinutes(1));
        a.store.delete(d);
        // b validated the policy before the purge and saves only now: the row stays gone.
        b.store.save(before);
        assertThat(rows(d)).isZero();
        // A policy validated after the purge is stored as usual.
        time.advance(Duration.ofMinutes(1));
        StoredPolicy after = stored(d, "two", ENFORCE_V2, time.instant());
        b.store.save(after);
        assertThat(rows(d)).isEqualTo(1);
        assertThat(a.store.load(d)).contains(after);
    }

    @Test
    @DisplayName("RFC 8461 §10.3: a purge on one node removes the policy from every node's memory and local store")
    void purgeReachesEveryNode() throws Exception {
        String d = "purge.example";
        publish(d, "one", ENFORCE);
        Node a = node("purge-a");
        Node b = node("purge-b");
        a.found(d);
        b.found(d);
        b.awaitLocalFile(d);
        time.advance(Duration.ofMinutes(1));
        assertThat(a.cache.purge(d).toCompletableFuture().join()).isTrue();
        assertThat(rows(d)).isZero();
        assertThat(events(d, "purge")).isEqualTo(1);
        b.sync.run();
        assertThat(b.localFile(d)).isEmpty();
        // Memory forgot it too: the next lookup finds nothing stored and fetches anew.
        assertThat(b.found(d).fromCache()).isFalse();
        assertThat(fetcher.fetches()).isEqualTo(2);
    }

    @Test
    @DisplayName("RFC 8461 §3.3: an operator's refresh on one node replaces the policy on every node")
    void refreshReachesEveryNode() throws Exception {
        String d = "refresh.example";
        publish(d, "one", ENFORCE);
        Node a = node("refresh-a");
        Node b = node("refresh-b");
        a.found(d);
        b.found(d);
        b.awaitLocalFile(d);
        fetcher.serve(d, ENFORCE_V2);
        time.advance(Duration.ofMinutes(1));
        a.cache.refresh(d).toCompletableFuture().join();
        assertThat(events(d, "refresh")).isEqualTo(1);
        assertThat(b.found(d).policy().text()).isEqualTo(ENFORCE);
        b.sync.run();
        assertThat(b.localFile(d).orElseThrow().policy().text()).isEqualTo(ENFORCE_V2);
        assertThat(b.found(d).policy().text()).isEqualTo(ENFORCE_V2);
        assertThat(fetcher.fetches()).isEqualTo(2);
    }

    @Test
    @DisplayName("RFC 8461 §10.2: with the database down, lookups and saves go on locally; the catch-up pushes them")
    void outageThenCatchUp() throws Exception {
        String cached = "outage-cached.example";
        String fresh = "outage-fresh.example";
        publish(cached, "one", ENFORCE);
        publish(fresh, "one", ENFORCE);
        Node a = node("outage-a");
        Node b = node("outage-b");
        a.found(cached);
        postgres.stopServer();
        try {
            a.sync.run();
            assertThat(a.database.reachable()).isFalse();
            assertThat(a.found(cached).policy().text()).isEqualTo(ENFORCE);
            // Out of memory, the policy comes back from the local file, without a fetch.
            a.cache.forget(cached);
            assertThat(a.found(cached).policy().text()).isEqualTo(ENFORCE);
            assertThat(fetcher.fetches()).isEqualTo(1);
            assertThat(a.found(fresh).fromCache()).isFalse();
            a.awaitLocalFile(fresh);
            // The mail path did not even try the dead database.
            for (String operation : List.of("policy_load", "policy_save", "policy_fetch_claim")) {
                assertThat(a.databaseErrors(operation)).as(operation).isZero();
            }
        } finally {
            postgres.startServer();
        }
        assertThat(rows(fresh)).isZero();
        a.sync.run();
        assertThat(a.database.reachable()).isTrue();
        assertThat(rows(fresh)).isEqualTo(1);
        assertThat(b.found(fresh).policy().text()).isEqualTo(ENFORCE);
        assertThat(fetcher.fetches()).isEqualTo(2);
    }

    @Test
    @DisplayName("RFC 8461 §10.2: removing an expired policy leaves a row another node refreshed, and is no purge")
    void expiredCleanupKeepsARefreshedRow() throws Exception {
        String d = "expiry.example";
        Node a = node("expiry-a");
        Node b = node("expiry-b");
        StoredPolicy expired = stored(d, "one", ENFORCE, time.instant().minus(Duration.ofDays(2)));
        a.files.save(expired);
        StoredPolicy refreshed = stored(d, "one", ENFORCE, time.instant());
        b.store.save(refreshed);
        a.store.deleteExpired(expired);
        assertThat(a.localFile(d)).isEmpty();
        assertThat(b.store.load(d)).contains(refreshed);
        assertThat(rows(d)).isEqualTo(1);
        assertThat(events(d, "purge")).isZero();
    }

    @Test
    @DisplayName("RFC 8461 §10.2: a warm-up over an expired local policy takes the row another node refreshed")
    void warmUpTakesTheRefreshedRow() throws Exception {
        String d = "warm.example";
        Node a = node("warm-a");
        Node b = node("warm-b");
        a.files.save(stored(d, "one", ENFORCE, time.instant().minus(Duration.ofDays(2))));
        StoredPolicy refreshed = stored(d, "one", ENFORCE_V2, time.instant());
        b.store.save(refreshed);
        assertThat(a.cache.warmUp().toCompletableFuture().join()).isGreaterThanOrEqualTo(1);
        assertThat(a.found(d).policy().text()).isEqualTo(ENFORCE_V2);
        assertThat(a.localFile(d)).contains(refreshed);
        assertThat(rows(d)).isEqualTo(1);
        assertThat(events(d, "purge")).isZero();
        assertThat(fetcher.fetches()).isZero();
    }
}
