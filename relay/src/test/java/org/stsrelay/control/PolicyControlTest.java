package org.stsrelay.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.policy.ParseResult;
import org.stsrelay.policy.Policy;
import org.stsrelay.policy.PolicyLookup;
import org.stsrelay.policy.PolicyParser;
import org.stsrelay.policy.cache.PolicyCache;
import org.stsrelay.policy.cache.PolicyStore;
import org.stsrelay.policy.cache.StoredPolicy;
import org.stsrelay.policy.resolve.PolicyResolver;
import org.stsrelay.policy.testing.FakeDns;
import org.stsrelay.policy.testing.FakeFetcher;
import org.stsrelay.policy.testing.FakeTime;

class PolicyControlTest {

    private static final String DOMAIN = "example.com";
    private static final String POLICY = "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 604800\n";

    @TempDir
    Path dir;
    private final FakeTime time = new FakeTime(Instant.parse("2026-03-01T00:00:00Z"));
    private final FakeDns dns = new FakeDns();
    private final FakeFetcher fetcher = new FakeFetcher();
    private PolicyStore store;
    private PolicyCache cache;
    private PolicyControl control;

    @BeforeEach
    void runningRelayWithOneStoredPolicy() throws Exception {
        store = PolicyStore.files(dir);
        store.save(new StoredPolicy(new Policy(DOMAIN, "1", document(POLICY), time.instant()), time.instant()));
        cache = PolicyCache.builder().resolver(new PolicyResolver(dns, fetcher, time)).store(store)
                .clock(time).ticker(time).executor(Runnable::run).build();
        assertThat(cache.warmUp().toCompletableFuture().join()).isEqualTo(1);
        control = new PolicyControl(dir);
    }

    @Test
    @DisplayName("RFC 8461 §10.2: a running cache drops a purged policy on its next tick, from memory too")
    void runningCachePicksUpAPurgeRequest() throws Exception {
        // What `policy purge` does: delete the stored file, leave a request for the running relay.
        store.delete(DOMAIN);
        control.request(DOMAIN, PolicyControl.Action.PURGE);
        assertThat(Files.exists(dir.resolve("control/example.com.purge"))).isTrue();
        assertThat(cache.show(DOMAIN).toCompletableFuture().join()).as("memory still holds it").isPresent();

        assertThat(control.applyPending(cache).toCompletableFuture().join())
                .extracting(PolicyControl.Request::domain).containsExactly(DOMAIN);

        assertThat(cache.show(DOMAIN).toCompletableFuture().join()).isEmpty();
        assertThat(control.pending()).isEmpty();
        assertThat(fetcher.fetches()).isZero();
        assertThat(control.applyPending(cache).toCompletableFuture().join()).isEmpty();
    }

    @Test
    @DisplayName("RFC 8461 §3.3: a refresh request makes the running cache fetch the new policy now")
    void runningCachePicksUpARefreshRequest() throws Exception {
        dns.txt("_mta-sts." + DOMAIN, "v=STSv1; id=2");
        fetcher.serve(DOMAIN, POLICY.replace("enforce", "testing"));
        control.request(DOMAIN, PolicyControl.Action.REFRESH);
        time.advance(Duration.ofSeconds(5));

        control.applyPending(cache).toCompletableFuture().join();

        PolicyLookup now = cache.lookup(DOMAIN).toCompletableFuture().join();
        assertThat(now).isInstanceOf(PolicyLookup.Found.class);
        assertThat(((PolicyLookup.Found) now).policy().id()).isEqualTo("2");
        assertThat(store.load(DOMAIN).orElseThrow().policy().id()).isEqualTo("2");
        assertThat(control.pending()).isEmpty();
    }

    @Test
    void requestFilesOutsideTheNamingRuleAreIgnoredAndRemoved() throws Exception {
        Files.createDirectories(dir.resolve("control"));
        Files.writeString(dir.resolve("control/Not_A_Domain.purge"), "");
        Files.writeString(dir.resolve("control/.example.com123.tmp"), "");
        assertThat(control.applyPending(cache).toCompletableFuture().join()).isEmpty();
        assertThat(Files.exists(dir.resolve("control/Not_A_Domain.purge"))).isFalse();
        assertThat(cache.show(DOMAIN).toCompletableFuture().join()).isPresent();
    }

    private static org.stsrelay.policy.PolicyDocument document(String text) {
        return ((ParseResult.Valid) PolicyParser.parse(text)).document();
    }
}
