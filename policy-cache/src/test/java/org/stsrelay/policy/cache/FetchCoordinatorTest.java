package org.stsrelay.policy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.policy.ParseResult;
import org.stsrelay.policy.Policy;
import org.stsrelay.policy.PolicyLookup;
import org.stsrelay.policy.PolicyParser;
import org.stsrelay.policy.ResultType;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.policy.resolve.PolicyResolver;
import org.stsrelay.policy.testing.FakeDns;
import org.stsrelay.policy.testing.FakeFetcher;
import org.stsrelay.policy.testing.FakeTime;

/** The fetch hook and the store operations a shared store needs, and that a single cache behaves as before. */
class FetchCoordinatorTest {

    private static final String D = "example.com";
    private static final String TXT = "_mta-sts.example.com";
    private static final String ENFORCE = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n";
    private static final String SHARED = "version: STSv1\nmode: enforce\nmx: *.example.com\nmax_age: 86400\n";

    @TempDir
    Path storeDirectory;

    private final FakeTime time = new FakeTime(Instant.parse("2026-03-01T00:00:00Z"));
    private final FakeDns dns = new FakeDns();
    private final FakeFetcher fetcher = new FakeFetcher();
    private RecordingStore store;

    @BeforeEach
    void setUp() throws Exception {
        store = new RecordingStore(PolicyStore.files(storeDirectory));
        dns.txt(TXT, "v=STSv1; id=one;");
        fetcher.serve(D, ENFORCE);
    }

    private PolicyCache cache(FetchCoordinator coordinator) {
        return PolicyCache.builder()
                .resolver(new PolicyResolver(dns, fetcher, time))
                .fetchCoordinator(coordinator)
                .store(store)
                .clock(time)
                .ticker(time)
                .executor(Runnable::run)
                .random(new Random(7))
                .build();
    }

    private static PolicyLookup.Found found(PolicyCache cache) {
        PolicyLookup answer = cache.lookup(D).toCompletableFuture().join();
        assertThat(answer).isInstanceOf(PolicyLookup.Found.class);
        return (PolicyLookup.Found) answer;
    }

    private StoredPolicy stored(String id, String text, Instant validatedAt) {
        ParseResult.Valid valid = (ParseResult.Valid) PolicyParser.parse(text);
        return new StoredPolicy(new Policy(D, id, valid.document(), validatedAt), validatedAt);
    }

    @Test
    @DisplayName("A cache alone fetches every time it would have: the default coordinator always gives the turn")
    void aloneAlwaysFetches() {
        FetchTurn turn = FetchCoordinator.alone()
                .claim(D, "one", Instant.EPOCH)
                .toCompletableFuture()
                .join();
        assertThat(turn).isInstanceOf(FetchTurn.Fetch.class);
        PolicyCache cache = cache(FetchCoordinator.alone());
        assertThat(found(cache).fromCache()).isFalse();
        assertThat(fetcher.fetches()).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8461 §3: a policy another cache fetched for the TXT id is used without a fetch, and kept")
    void sharedPolicyIsUsedWithoutFetch() throws Exception {
        StoredPolicy other = stored("one", SHARED, time.instant());
        Recording coordinator = new Recording(Optional.of(other));
        PolicyLookup.Found answer = found(cache(coordinator));
        assertThat(answer.policy().text()).isEqualTo(SHARED);
        assertThat(fetcher.fetches()).isZero();
        assertThat(coordinator.claims).containsExactly("example.com one");
        assertThat(coordinator.releases).isEmpty();
        assertThat(store.load(D)).contains(other);
    }

    @Test
    @DisplayName("A fetch turn ends after the fetched policy is stored, so waiting caches find it")
    void turnEndsAfterTheFetchedPolicyIsStored() {
        Recording coordinator = new Recording(Optional.empty());
        coordinator.onRelease = () -> assertThat(store.delegateHas(D)).isTrue();
        found(cache(coordinator));
        assertThat(fetcher.fetches()).isEqualTo(1);
        assertThat(coordinator.releases).containsExactly(D);
    }

    @Test
    @DisplayName("RFC 8461 §3.3: a failed fetch ends the turn too, and the domain has no policy")
    void failedFetchEndsTheTurn() {
        fetcher.fail(D, ResultType.STS_POLICY_FETCH_ERROR, "refused");
        Recording coordinator = new Recording(Optional.empty());
        PolicyLookup answer = cache(coordinator).lookup(D).toCompletableFuture().join();
        assertThat(answer).isInstanceOf(PolicyLookup.NoPolicy.class);
        assertThat(coordinator.releases).containsExactly(D);
    }

    @Test
    @DisplayName("RFC 8461 §3: after an id change a refresh takes the new policy another cache fetched")
    void idChangeTakesSharedPolicy() {
        Recording coordinator = new Recording(Optional.empty());
        PolicyCache cache = cache(coordinator);
        found(cache);
        dns.txt(TXT, "v=STSv1; id=two;");
        time.advance(Duration.ofMinutes(6));
        coordinator.answer = Optional.of(stored("two", SHARED, time.instant()));
        found(cache);
        assertThat(found(cache).policy().id()).isEqualTo("two");
        assertThat(fetcher.fetches()).isEqualTo(1);
        assertThat(coordinator.claims).containsExactly("example.com one", "example.com two");
    }

    @Test
    @DisplayName("RFC 8461 §3.3: a proactive refresh takes a policy another cache validated after the cached one")
    void proactiveRefreshTakesANewerValidation() {
        Recording coordinator = new Recording(Optional.empty());
        PolicyCache cache = cache(coordinator);
        Instant firstValidation = found(cache).expiresAt().minus(Duration.ofDays(1));
        dns.txtResult(TXT, new DnsResult.Failure<>("SERVFAIL"));
        time.advance(Duration.ofHours(13));
        coordinator.answer = Optional.of(stored("one", SHARED, time.instant()));
        assertThat(cache.runMaintenance()).isEqualTo(1);
        PolicyLookup.Found now = found(cache);
        assertThat(now.policy().text()).isEqualTo(SHARED);
        assertThat(now.expiresAt()).isEqualTo(time.instant().plus(Duration.ofDays(1)));
        assertThat(fetcher.fetches()).isEqualTo(1);
        assertThat(coordinator.newerThan).containsExactly(Instant.EPOCH, firstValidation);
    }

    @Test
    @DisplayName("RFC 8461 §10.2: warm-up removes expired policies through deleteExpired, never as a purge")
    void warmUpDeletesExpiredThroughDeleteExpired() throws Exception {
        store.save(stored("one", ENFORCE, time.instant()));
        time.advance(Duration.ofDays(2));
        assertThat(cache(FetchCoordinator.alone())
                        .warmUp()
                        .toCompletableFuture()
                        .join())
                .isZero();
        assertThat(store.calls).containsExactly("save", "loadAll", "deleteExpired");
        assertThat(store.load(D)).isEmpty();
    }

    @Test
    @DisplayName("An operator's refresh is stored through replace; the embedded store saves it")
    void forcedRefreshIsAReplace() throws Exception {
        PolicyCache cache = cache(FetchCoordinator.alone());
        cache.refresh(D).toCompletableFuture().join();
        assertThat(store.calls).contains("replace").doesNotContain("delete");
        assertThat(store.load(D).orElseThrow().policy().text()).isEqualTo(ENFORCE);
    }

    /** A coordinator that answers with a given shared policy, or the turn, and records what it was asked. */
    private static final class Recording implements FetchCoordinator {
        final List<String> claims = new CopyOnWriteArrayList<>();
        final List<String> releases = new CopyOnWriteArrayList<>();
        final List<Instant> newerThan = new CopyOnWriteArrayList<>();
        volatile Optional<StoredPolicy> answer;
        volatile Runnable onRelease = () -> {};

        Recording(Optional<StoredPolicy> answer) {
            this.answer = answer;
        }

        @Override
        public CompletionStage<FetchTurn> claim(String domain, String id, Instant newerThan) {
            claims.add(domain + " " + id);
            this.newerThan.add(newerThan);
            return CompletableFuture.completedFuture(
                    answer.<FetchTurn>map(FetchTurn.Shared::new).orElse(new FetchTurn.Fetch()));
        }

        @Override
        public void release(String domain) {
            onRelease.run();
            releases.add(domain);
        }
    }

    /** The embedded store, with each call recorded by its name; the default methods stay the interface's. */
    private static final class RecordingStore implements PolicyStore {
        final List<String> calls = new CopyOnWriteArrayList<>();
        private final PolicyStore delegate;

        RecordingStore(PolicyStore delegate) {
            this.delegate = delegate;
        }

        boolean delegateHas(String domain) {
            try {
                return delegate.load(domain).isPresent();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public Optional<StoredPolicy> load(String domain) throws IOException {
            return delegate.load(domain);
        }

        @Override
        public List<StoredPolicy> loadAll() throws IOException {
            calls.add("loadAll");
            return delegate.loadAll();
        }

        @Override
        public void save(StoredPolicy policy) throws IOException {
            calls.add("save");
            delegate.save(policy);
        }

        @Override
        public boolean delete(String domain) throws IOException {
            calls.add("delete");
            return delegate.delete(domain);
        }

        @Override
        public void replace(StoredPolicy policy) throws IOException {
            calls.add("replace");
            delegate.replace(policy);
        }

        @Override
        public boolean deleteExpired(StoredPolicy expired) throws IOException {
            calls.add("deleteExpired");
            return delegate.deleteExpired(expired);
        }
    }
}
