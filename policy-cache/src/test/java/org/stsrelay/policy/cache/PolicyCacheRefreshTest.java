package org.stsrelay.policy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.policy.PolicyLookup;
import org.stsrelay.policy.resolve.PolicyResolver;
import org.stsrelay.policy.testing.FakeDns;
import org.stsrelay.policy.testing.FakeFetcher;
import org.stsrelay.policy.testing.FakeTime;

/** Background refreshes that are still running when lookups or operator actions arrive. */
class PolicyCacheRefreshTest {

    private static final String D = "example.com";
    private static final String TXT = "_mta-sts.example.com";
    private static final String ENFORCE = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n";
    private static final String ENFORCE_V2 = "version: STSv1\nmode: enforce\nmx: *.example.com\nmax_age: 86400\n";

    @TempDir
    Path storeDirectory;

    private final FakeTime time = new FakeTime(Instant.parse("2026-03-01T00:00:00Z"));
    private final FakeDns dns = new FakeDns();
    private final FakeFetcher fetcher = new FakeFetcher();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private PolicyStore store;
    private PolicyCache cache;

    @BeforeEach
    void setUp() throws Exception {
        store = PolicyStore.files(storeDirectory);
        cache = PolicyCache.builder()
                .resolver(new PolicyResolver(dns, fetcher, time))
                .store(store)
                .clock(time)
                .ticker(time)
                .executor(Runnable::run)
                .meterRegistry(registry)
                .random(new Random(7))
                .build();
        dns.txt(TXT, "v=STSv1; id=one;");
        fetcher.serve(D, ENFORCE);
        found();
        dns.txt(TXT, "v=STSv1; id=two;");
        fetcher.serve(D, ENFORCE_V2);
    }

    private PolicyLookup.Found found() {
        return (PolicyLookup.Found) cache.lookup(D).toCompletableFuture().join();
    }

    @Test
    @DisplayName("RFC 8461 §3: lookups during a running id check answer from cache and start no second one")
    void oneRefreshAtATime() {
        CompletableFuture<Void> gate = fetcher.hold();
        time.advance(Duration.ofMinutes(6));
        for (int i = 0; i < 3; i++) {
            assertThat(found().policy().id()).isEqualTo("one");
        }
        assertThat(fetcher.fetches()).isEqualTo(2);
        assertThat(registry.get("sts.policy.lookups")
                        .tags("result", "stale_refresh")
                        .counter()
                        .count())
                .isEqualTo(1);
        gate.complete(null);
        assertThat(found().policy().id()).isEqualTo("two");
    }

    @Test
    @DisplayName("RFC 8461 §10.3: a purge while a background refresh runs is not undone by that refresh")
    void purgeDuringRefreshWins() throws Exception {
        CompletableFuture<Void> gate = fetcher.hold();
        time.advance(Duration.ofMinutes(6));
        found();
        assertThat(cache.purge(D).toCompletableFuture().join()).isTrue();
        gate.complete(null);
        assertThat(store.load(D)).isEmpty();
        assertThat(cache.show(D).toCompletableFuture().join()).isEmpty();
    }
}
