package org.stsrelay.policy.bench;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.stsrelay.policy.ParseResult;
import org.stsrelay.policy.Policy;
import org.stsrelay.policy.PolicyParser;
import org.stsrelay.policy.cache.CacheSettings;
import org.stsrelay.policy.cache.PolicyCache;
import org.stsrelay.policy.cache.PolicyStore;
import org.stsrelay.policy.cache.StoredPolicy;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.policy.dns.MxRecord;
import org.stsrelay.policy.fetch.FetchInfo;
import org.stsrelay.policy.fetch.FetchResult;
import org.stsrelay.policy.fetch.PolicyFetcher;
import org.stsrelay.policy.resolve.PolicyResolver;

/** An in-memory world for benchmarks: every domain {@code dN.example} has an enforce policy. */
final class BenchWorld {

    static final String TYPICAL = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.mx.example.net\n"
            + "mx: backup.example.org\nmax_age: 604800\n";

    private BenchWorld() {
    }

    static String domain(int index) {
        return "d" + index + ".example";
    }

    static String body(String domain) {
        return "version: STSv1\nmode: enforce\nmx: mail." + domain + "\nmx: *.mx." + domain + "\nmax_age: 604800\n";
    }

    static StoredPolicy stored(String domain, Instant now) {
        ParseResult.Valid parsed = (ParseResult.Valid) PolicyParser.parse(body(domain));
        return new StoredPolicy(new Policy(domain, "id20260301", parsed.document(), now), now);
    }

    /** A cache whose store holds {@code count} valid policies, loaded into memory by warm-up. */
    static PolicyCache warmCache(int count) {
        Clock clock = Clock.systemUTC();
        Instant now = clock.instant();
        PolicyStore store = new MemoryStore(count, now);
        PolicyCache cache = PolicyCache.builder()
                .resolver(new PolicyResolver(new NoDns(), new NoFetch(), clock))
                .store(store)
                .settings(new CacheSettings(Duration.ofDays(1), Duration.ofMinutes(5), Duration.ofDays(1),
                        Duration.ofHours(1), 4, Duration.ofDays(3), 2_000_000))
                .executor(Runnable::run)
                .build();
        cache.warmUp().toCompletableFuture().join();
        return cache;
    }

    /** A store that materialises its policies on {@code loadAll}. */
    private static final class MemoryStore implements PolicyStore {
        private final int count;
        private final Instant now;

        MemoryStore(int count, Instant now) {
            this.count = count;
            this.now = now;
        }

        @Override
        public Optional<StoredPolicy> load(String domain) {
            return Optional.empty();
        }

        @Override
        public List<StoredPolicy> loadAll() {
            List<StoredPolicy> all = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                all.add(stored(domain(i), now));
            }
            return all;
        }

        @Override
        public void save(StoredPolicy policy) {
        }

        @Override
        public boolean delete(String domain) {
            return false;
        }
    }

    private static final class NoDns implements DnsClient {
        @Override
        public CompletionStage<DnsResult<String>> txt(String name) {
            return CompletableFuture.completedFuture(new DnsResult.Records<>(List.of("v=STSv1; id=id20260301;"), name));
        }

        @Override
        public CompletionStage<DnsResult<MxRecord>> mx(String name) {
            return CompletableFuture.completedFuture(new DnsResult.NoData<>(name));
        }

        @Override
        public CompletionStage<DnsResult<InetAddress>> a(String name) {
            return CompletableFuture.completedFuture(new DnsResult.NoData<>(name));
        }

        @Override
        public CompletionStage<DnsResult<InetAddress>> aaaa(String name) {
            return CompletableFuture.completedFuture(new DnsResult.NoData<>(name));
        }
    }

    private static final class NoFetch implements PolicyFetcher {
        @Override
        public CompletionStage<FetchResult> fetch(String policyDomain) {
            return CompletableFuture.completedFuture(new FetchResult.Fetched(body(policyDomain), new FetchInfo(
                    "https://mta-sts." + policyDomain + "/.well-known/mta-sts.txt", List.of(), Optional.empty(),
                    Optional.empty(), Optional.empty(), OptionalInt.of(200), Optional.of("text/plain"),
                    Optional.empty(), 0, Duration.ZERO)));
        }
    }
}
