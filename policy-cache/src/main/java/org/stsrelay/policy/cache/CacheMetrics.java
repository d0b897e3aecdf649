package org.stsrelay.policy.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.stsrelay.policy.NoPolicyCause;
import org.stsrelay.policy.ResultType;

/** Every policy-cache meter, registered once; tags are low-cardinality enums, never a domain. */
final class CacheMetrics {

    private static final String LOOKUPS = "sts.policy.lookups";

    private final MeterRegistry registry;
    private final Counter hit;
    private final Counter staleRefresh;
    private final Counter miss;
    private final Map<NoPolicyCause, Counter> noPolicy = new EnumMap<>(NoPolicyCause.class);
    private final Map<ResultType, Counter> fetchFailures = new EnumMap<>(ResultType.class);
    private final Timer fetchSuccess;
    private final Timer fetchFailure;
    private final Counter downgradeSuspected;

    CacheMetrics(MeterRegistry registry) {
        this.registry = registry;
        hit = lookups("hit", "none");
        staleRefresh = lookups("stale_refresh", "none");
        miss = lookups("miss", "none");
        for (NoPolicyCause cause : NoPolicyCause.values()) {
            noPolicy.put(cause, lookups("no_policy", cause.tag()));
        }
        for (ResultType type : ResultType.values()) {
            fetchFailures.put(
                    type,
                    Counter.builder("sts.policy.fetch.failures")
                            .tag("result_type", type.token())
                            .description("policy fetches that failed, by RFC 8460 result type")
                            .register(registry));
        }
        fetchSuccess = fetchTimer("success");
        fetchFailure = fetchTimer("failure");
        downgradeSuspected = Counter.builder("sts.policy.downgrade.suspected")
                .description("TXT records that vanished under a cached enforce policy")
                .register(registry);
    }

    /** Registers the meters of the memory itself, once it is built. */
    void monitor(AsyncCache<String, Entry> memory) {
        Gauge.builder(
                        "sts.policy.cache.size",
                        memory,
                        cache -> cache.synchronous().estimatedSize())
                .description("domains held in memory")
                .register(registry);
        CaffeineCacheMetrics.monitor(registry, memory, "sts.policy.memory");
    }

    private Counter lookups(String result, String reason) {
        return Counter.builder(LOOKUPS)
                .tag("result", result)
                .tag("reason", reason)
                .description("policy lookups by result")
                .register(registry);
    }

    private Timer fetchTimer(String outcome) {
        return Timer.builder("sts.policy.fetch.duration")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .description("policy fetch time, DNS to last byte")
                .register(registry);
    }

    void hit() {
        hit.increment();
    }

    void staleRefresh() {
        staleRefresh.increment();
    }

    void miss() {
        miss.increment();
    }

    void noPolicy(NoPolicyCause cause) {
        noPolicy.get(cause).increment();
    }

    void fetched(Duration elapsed) {
        fetchSuccess.record(elapsed);
    }

    void fetchFailed(ResultType type, Duration elapsed) {
        fetchFailure.record(elapsed);
        fetchFailures.get(type).increment();
    }

    void refresh(String kind, String outcome) {
        registry.counter("sts.policy.refresh.runs", "kind", kind, "outcome", outcome)
                .increment();
    }

    void downgradeSuspected() {
        downgradeSuspected.increment();
    }
}
