package org.stsrelay.policy.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.stsrelay.policy.ResultType;
import org.stsrelay.policy.fetch.FetchInfo;
import org.stsrelay.policy.fetch.FetchResult;
import org.stsrelay.policy.fetch.PolicyFetcher;

/** A {@link PolicyFetcher} that serves bodies from a map and counts fetches; unknown domains fail. */
public final class FakeFetcher implements PolicyFetcher {

    private final Map<String, FetchResult> results = new ConcurrentHashMap<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

    public static FetchInfo info(String domain) {
        return new FetchInfo(
                "https://mta-sts." + domain + "/.well-known/mta-sts.txt",
                List.of("127.0.0.1"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                OptionalInt.of(200),
                Optional.of("text/plain"),
                Optional.empty(),
                0,
                Duration.ofMillis(3));
    }

    public FakeFetcher serve(String domain, String body) {
        results.put(domain, new FetchResult.Fetched(body, info(domain)));
        return this;
    }

    public FakeFetcher fail(String domain, ResultType type, String detail) {
        results.put(domain, new FetchResult.Failed(type, detail, info(domain)));
        return this;
    }

    /** Holds every fetch until the returned future is completed. */
    public CompletableFuture<Void> hold() {
        CompletableFuture<Void> held = new CompletableFuture<>();
        gate = held;
        return held;
    }

    public int fetches() {
        return fetches.get();
    }

    @Override
    public CompletionStage<FetchResult> fetch(String policyDomain) {
        fetches.incrementAndGet();
        FetchResult result = results.getOrDefault(
                policyDomain,
                new FetchResult.Failed(
                        ResultType.STS_POLICY_FETCH_ERROR,
                        "mta-sts." + policyDomain + " does not exist (NXDOMAIN)",
                        info(policyDomain)));
        return gate.thenApply(ignored -> result);
    }
}
