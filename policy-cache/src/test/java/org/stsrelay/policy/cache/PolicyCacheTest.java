package org.stsrelay.policy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.policy.Mode;
import org.stsrelay.policy.NoPolicyCause;
import org.stsrelay.policy.PolicyLookup;
import org.stsrelay.policy.ResultType;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.policy.resolve.PolicyResolver;
import org.stsrelay.policy.testing.FakeDns;
import org.stsrelay.policy.testing.FakeFetcher;
import org.stsrelay.policy.testing.FakeTime;

class PolicyCacheTest {

    private static final String D = "example.com";
    private static final String TXT = "_mta-sts.example.com";
    private static final String ENFORCE = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n";
    private static final String ENFORCE_V2 = "version: STSv1\nmode: enforce\nmx: *.example.com\nmax_age: 86400\n";
    private static final String NONE = "version: STSv1\nmode: none\nmax_age: 86400\n";

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
        cache = newCache(CacheSettings.DEFAULTS);
        dns.txt(TXT, "v=STSv1; id=one;");
        fetcher.serve(D, ENFORCE);
    }

    private PolicyCache newCache(CacheSettings settings) {
        return PolicyCache.builder()
                .resolver(new PolicyResolver(dns, fetcher, time))
                .store(store)
                .settings(settings)
                .clock(time)
                .ticker(time)
                .executor(Runnable::run)
                .meterRegistry(registry)
                .random(new Random(7))
                .build();
    }

    private PolicyLookup lookup(String domain) {
        return cache.lookup(domain).toCompletableFuture().join();
    }

    private PolicyLookup.Found found(String domain) {
        PolicyLookup answer = lookup(domain);
        assertThat(answer).isInstanceOf(PolicyLookup.Found.class);
        return (PolicyLookup.Found) answer;
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    @Test
    @DisplayName("RFC 8461 §5.1: a cached, unexpired policy is used without DNS or fetch")
    void usesCachedPolicy() {
        assertThat(found(D).fromCache()).isFalse();
        int queries = dns.txtQueries();
        PolicyLookup.Found again = found(D);
        assertThat(again.fromCache()).isTrue();
        assertThat(again.policy().mode()).isEqualTo(Mode.ENFORCE);
        assertThat(again.policy().matchesMx("mail.example.com")).isTrue();
        assertThat(fetcher.fetches()).isEqualTo(1);
        assertThat(dns.txtQueries()).isEqualTo(queries);
        assertThat(counter("sts.policy.lookups", "result", "hit", "reason", "none"))
                .isEqualTo(1);
        assertThat(counter("sts.policy.lookups", "result", "miss", "reason", "none"))
                .isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8461 §3: an unchanged id, re-checked after the interval, extends validity without a fetch")
    void unchangedIdExtendsValidity() {
        Instant firstExpiry = found(D).expiresAt();
        time.advance(Duration.ofMinutes(4));
        found(D);
        int queries = dns.txtQueries();
        time.advance(Duration.ofMinutes(2));
        found(D);
        assertThat(dns.txtQueries()).isEqualTo(queries + 1);
        assertThat(fetcher.fetches()).isEqualTo(1);
        assertThat(found(D).expiresAt()).isEqualTo(firstExpiry.plus(Duration.ofMinutes(6)));
        assertThat(counter("sts.policy.lookups", "result", "stale_refresh", "reason", "none"))
                .isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8461 §3: a new id triggers a refetch; the new policy and its raw text replace the old")
    void newIdRefetches() throws Exception {
        found(D);
        dns.txt(TXT, "v=STSv1; id=two;");
        fetcher.serve(D, ENFORCE_V2);
        time.advance(Duration.ofMinutes(6));
        found(D);
        PolicyLookup.Found now = found(D);
        assertThat(now.policy().id()).isEqualTo("two");
        assertThat(now.policy().text()).isEqualTo(ENFORCE_V2);
        assertThat(now.expiresAt()).isEqualTo(time.instant().plus(Duration.ofDays(1)));
        assertThat(store.load(D).orElseThrow().policy().text()).isEqualTo(ENFORCE_V2);
    }

    @Test
    @DisplayName("RFC 8461 §3.3: a failed refetch keeps the cached policy and is not retried for 5 minutes")
    void failedRefetchKeepsPolicy() {
        found(D);
        dns.txt(TXT, "v=STSv1; id=two;");
        fetcher.fail(D, ResultType.STS_WEBPKI_INVALID, "certificate expired");
        time.advance(Duration.ofMinutes(6));
        assertThat(found(D).policy().id()).isEqualTo("one");
        assertThat(fetcher.fetches()).isEqualTo(2);
        time.advance(Duration.ofMinutes(4));
        assertThat(found(D).policy().id()).isEqualTo("one");
        assertThat(fetcher.fetches()).isEqualTo(2);
        assertThat(counter("sts.policy.fetch.failures", "result_type", "sts-webpki-invalid"))
                .isEqualTo(1);
        assertThat(counter("sts.policy.refresh.runs", "kind", "id_check", "outcome", "failed"))
                .isEqualTo(1);
        time.advance(Duration.ofMinutes(2));
        found(D);
        assertThat(fetcher.fetches()).isEqualTo(3);
    }

    @Test
    @DisplayName("RFC 8461 §3.1, §10.2: a vanished TXT record under enforce keeps the policy and is flagged")
    void vanishedTxtIsPossibleDowngrade() {
        found(D);
        dns.removeTxt(TXT);
        time.advance(Duration.ofMinutes(6));
        assertThat(found(D).policy().mode()).isEqualTo(Mode.ENFORCE);
        assertThat(registry.get("sts.policy.downgrade.suspected").counter().count())
                .isEqualTo(1);
        assertThat(fetcher.fetches()).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8461 §3.3: SERVFAIL or an invalid record never evicts a cached policy")
    void dnsFailureKeepsPolicy() {
        found(D);
        dns.txtResult(TXT, new DnsResult.Failure<>("SERVFAIL"));
        time.advance(Duration.ofMinutes(6));
        assertThat(found(D).policy().id()).isEqualTo("one");
        dns.txt(TXT, "v=STSv1; id=bad-id;");
        time.advance(Duration.ofMinutes(6));
        assertThat(found(D).policy().id()).isEqualTo("one");
        assertThat(registry.get("sts.policy.downgrade.suspected").counter().count())
                .isZero();
    }

    @Test
    @DisplayName("RFC 8461 §8.3: a fetched mode none replaces the cached policy at once")
    void modeNoneReplaces() {
        found(D);
        dns.txt(TXT, "v=STSv1; id=off;");
        fetcher.serve(D, NONE);
        time.advance(Duration.ofMinutes(6));
        found(D);
        assertThat(found(D).policy().mode()).isEqualTo(Mode.NONE);
    }

    @Test
    @DisplayName("RFC 8461 §3.2, §3.3: after max_age without confirmation the policy expires")
    void policyExpiresAfterMaxAge() {
        found(D);
        dns.txtResult(TXT, new DnsResult.Failure<>("SERVFAIL"));
        for (int hour = 0; hour < 23; hour++) {
            time.advance(Duration.ofHours(1));
            assertThat(found(D).policy().id()).isEqualTo("one");
        }
        time.advance(Duration.ofHours(1));
        PolicyLookup answer = lookup(D);
        assertThat(answer).isInstanceOf(PolicyLookup.NoPolicy.class);
        assertThat(((PolicyLookup.NoPolicy) answer).cause()).isEqualTo(NoPolicyCause.DNS_FAILURE);
    }

    @Test
    @DisplayName("RFC 8461 §3.3: with nothing cached a failed fetch means no policy, then a 5-minute back-off")
    void failedFetchWithoutCacheBacksOff() {
        fetcher.fail(D, ResultType.STS_POLICY_FETCH_ERROR, "HTTP 404");
        PolicyLookup.NoPolicy answer = (PolicyLookup.NoPolicy) lookup(D);
        assertThat(answer.cause()).isEqualTo(NoPolicyCause.FETCH_FAILED);
        assertThat(answer.resultType()).hasValue(ResultType.STS_POLICY_FETCH_ERROR);
        assertThat(answer.reason()).contains("HTTP 404");
        time.advance(Duration.ofMinutes(4));
        lookup(D);
        assertThat(fetcher.fetches()).isEqualTo(1);
        time.advance(Duration.ofMinutes(2));
        fetcher.serve(D, ENFORCE);
        assertThat(found(D).fromCache()).isFalse();
        assertThat(fetcher.fetches()).isEqualTo(2);
        assertThat(counter("sts.policy.lookups", "result", "no_policy", "reason", "fetch_failed"))
                .isEqualTo(2);
    }

    @Test
    @DisplayName("RFC 8461 §3.1: a domain without a record is remembered, not asked again on every lookup")
    void noRecordIsRemembered() {
        lookup("plain.example");
        lookup("plain.example");
        assertThat(dns.txtQueries()).isEqualTo(1);
        assertThat(((PolicyLookup.NoPolicy) lookup("plain.example")).resultType())
                .isEmpty();
    }

    @Test
    @DisplayName("RFC 8461 §10.2: after a restart policies come back from the store, without a fetch")
    void restartRestoresFromStore() {
        found(D);
        fetcher.fail(D, ResultType.STS_POLICY_FETCH_ERROR, "unreachable");
        PolicyCache restarted = newCache(CacheSettings.DEFAULTS);
        assertThat(restarted.warmUp().toCompletableFuture().join()).isEqualTo(1);
        PolicyLookup answer = restarted.lookup(D).toCompletableFuture().join();
        assertThat(((PolicyLookup.Found) answer).fromCache()).isTrue();
        assertThat(fetcher.fetches()).isEqualTo(1);
        PolicyCache lazy = newCache(CacheSettings.DEFAULTS);
        assertThat(lazy.lookup(D).toCompletableFuture().join()).isInstanceOf(PolicyLookup.Found.class);
        assertThat(fetcher.fetches()).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8461 §10.2: expired stored policies are not restored")
    void restartDropsExpiredPolicies() throws Exception {
        found(D);
        time.advance(Duration.ofDays(2));
        PolicyCache restarted = newCache(CacheSettings.DEFAULTS);
        assertThat(restarted.warmUp().toCompletableFuture().join()).isZero();
        assertThat(store.load(D)).isEmpty();
    }

    @Test
    @DisplayName("single flight: 1,000 concurrent callers cause exactly one fetch")
    void singleFlight() throws Exception {
        CompletableFuture<Void> gate = fetcher.hold();
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<PolicyLookup>> answers = new ArrayList<>();
            List<CompletableFuture<Void>> submitted = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                CompletableFuture<PolicyLookup> answer = new CompletableFuture<>();
                answers.add(answer);
                submitted.add(CompletableFuture.runAsync(
                        () -> cache.lookup(D).whenComplete((value, error) -> answer.complete(value)), callers));
            }
            CompletableFuture.allOf(submitted.toArray(CompletableFuture[]::new)).join();
            gate.complete(null);
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
            assertThat(answers).allMatch(answer -> answer.join() instanceof PolicyLookup.Found);
            assertThat(fetcher.fetches()).isEqualTo(1);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    @DisplayName("single flight per domain: 100 uncached domains, 20 concurrent callers each, one TXT lookup and one"
            + " fetch per domain")
    void singleFlightPerDomain() {
        List<String> domains = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String domain = "d" + i + ".example.net";
            domains.add(domain);
            dns.txt("_mta-sts." + domain, "v=STSv1; id=" + i + ";");
            fetcher.serve(domain, "version: STSv1\nmode: enforce\nmx: mx." + domain + "\nmax_age: 86400\n");
        }
        CompletableFuture<Void> gate = fetcher.hold();
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            // Every caller has asked before any fetch answers, so all 20 of each domain wait on its first load.
            List<CompletableFuture<CompletionStage<PolicyLookup>>> asked = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                for (String domain : domains) {
                    asked.add(CompletableFuture.supplyAsync(() -> cache.lookup(domain), callers));
                }
            }
            CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).join();
            gate.complete(null);
            List<PolicyLookup> answers = asked.stream()
                    .map(stage -> stage.join().toCompletableFuture().join())
                    .toList();
            for (int i = 0; i < answers.size(); i++) {
                String domain = domains.get(i % domains.size());
                assertThat(answers.get(i))
                        .isInstanceOfSatisfying(
                                PolicyLookup.Found.class,
                                found -> assertThat(found.policy().matchesMx("mx." + domain))
                                        .isTrue());
            }
            assertThat(fetcher.fetches()).isEqualTo(domains.size());
            assertThat(dns.txtQueries()).isEqualTo(domains.size());
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    @DisplayName("RFC 8461 §3.3, §10.2: in-use policies near expiry are refreshed in the background, TXT or not")
    void proactiveRefresh() {
        found(D);
        dns.txtResult(TXT, new DnsResult.Failure<>("SERVFAIL"));
        fetcher.serve(D, ENFORCE_V2);
        assertThat(cache.runMaintenance()).isZero();
        time.advance(Duration.ofHours(13));
        assertThat(cache.runMaintenance()).isEqualTo(1);
        PolicyLookup.Found now = found(D);
        assertThat(now.policy().text()).isEqualTo(ENFORCE_V2);
        assertThat(now.policy().id()).isEqualTo("one");
        assertThat(now.expiresAt()).isEqualTo(time.instant().plus(Duration.ofDays(1)));
        assertThat(counter("sts.policy.refresh.runs", "kind", "proactive", "outcome", "replaced"))
                .isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8461 §10.2: background refreshes are capped")
    void proactiveRefreshIsCapped() {
        cache = newCache(new CacheSettings(
                Duration.ofMinutes(5),
                Duration.ofMinutes(5),
                Duration.ofDays(1),
                Duration.ZERO,
                2,
                Duration.ofDays(3),
                1000));
        for (int i = 0; i < 6; i++) {
            dns.txt("_mta-sts.d" + i + ".example", "v=STSv1; id=x;");
            fetcher.serve("d" + i + ".example", ENFORCE);
            found("d" + i + ".example");
        }
        fetcher.hold();
        dns.txt("_mta-sts.d0.example", "v=STSv1; id=y;");
        for (int i = 0; i < 6; i++) {
            dns.txt("_mta-sts.d" + i + ".example", "v=STSv1; id=y;");
        }
        time.advance(Duration.ofHours(13));
        assertThat(cache.runMaintenance()).isEqualTo(2);
    }

    @Test
    @DisplayName("long-unused policies leave memory but not the store; a later lookup needs no fetch")
    void idlePoliciesAreEvictedFromMemoryOnly() {
        String yearLong = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 31557600\n";
        fetcher.serve(D, yearLong);
        found(D);
        time.advance(Duration.ofDays(4));
        dns.txtResult(TXT, new DnsResult.Failure<>("SERVFAIL"));
        assertThat(found(D).fromCache()).isTrue();
        assertThat(fetcher.fetches()).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8461 §10.3: purge removes a policy from memory and store")
    void purgeRemovesPolicy() throws Exception {
        found(D);
        assertThat(cache.purge(D).toCompletableFuture().join()).isTrue();
        assertThat(store.load(D)).isEmpty();
        assertThat(cache.show(D).toCompletableFuture().join()).isEmpty();
        found(D);
        assertThat(fetcher.fetches()).isEqualTo(2);
    }

    @Test
    @DisplayName("a forced refresh fetches even when the id is unchanged; show reads the cached policy")
    void forcedRefreshAndShow() {
        found(D);
        fetcher.serve(D, ENFORCE_V2);
        RefreshReport report = cache.refresh(D).toCompletableFuture().join();
        assertThat(report.retrieval()).isPresent();
        assertThat(((PolicyLookup.Found) report.now()).policy().text()).isEqualTo(ENFORCE_V2);
        assertThat(fetcher.fetches()).isEqualTo(2);
        assertThat(cache.show("EXAMPLE.com.")
                        .toCompletableFuture()
                        .join()
                        .orElseThrow()
                        .policy()
                        .text())
                .isEqualTo(ENFORCE_V2);
    }

    @Test
    @DisplayName("a failed forced refresh keeps the cached policy")
    void failedForcedRefreshKeepsPolicy() {
        found(D);
        fetcher.fail(D, ResultType.STS_POLICY_FETCH_ERROR, "HTTP 500");
        RefreshReport report = cache.refresh(D).toCompletableFuture().join();
        assertThat(((PolicyLookup.Found) report.now()).policy().text()).isEqualTo(ENFORCE);
    }

    @Test
    @DisplayName("RFC 8461 §3.4: an address literal has no policy")
    void addressLiteralHasNoPolicy() {
        assertThat(((PolicyLookup.NoPolicy) lookup("[192.0.2.1]")).cause()).isEqualTo(NoPolicyCause.NOT_A_DOMAIN);
    }

    @Test
    @DisplayName("metrics carry no domain tag")
    void metricsAreLowCardinality() {
        found(D);
        lookup("other.example");
        for (Meter meter : registry.getMeters()) {
            assertThat(meter.getId().getTags()).noneMatch(tag -> tag.getValue().contains("example"));
        }
        assertThat(registry.get("sts.policy.cache.size").gauge().value()).isEqualTo(2);
        assertThat(registry.find("sts.policy.fetch.duration").timers()).isNotEmpty();
    }
}
