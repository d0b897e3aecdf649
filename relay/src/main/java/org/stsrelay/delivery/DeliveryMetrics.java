package org.stsrelay.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.stsrelay.delivery.RecipientResult.Outcome;

/** Every delivery meter, defined in one place; tags are low-cardinality (never a domain or an address). */
final class DeliveryMetrics {

    private final MeterRegistry registry;
    private final Timer duration;
    private final AtomicInteger active = new AtomicInteger();
    private final Counter opened;
    private final Counter reused;
    private final Counter mxMismatch;

    DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.duration = Timer.builder("sts.relay.delivery.duration")
                .description("time of one delivery attempt to one domain")
                .publishPercentileHistogram()
                .register(registry);
        registry.gauge("sts.relay.delivery.connections.active", active);
        this.opened = registry.counter("sts.relay.delivery.connections.opened");
        this.reused = registry.counter("sts.relay.delivery.connections.reused");
        this.mxMismatch = registry.counter("sts.relay.delivery.mx.mismatch");
    }

    void recipient(PolicyMode mode, Outcome outcome) {
        registry.counter("sts.relay.delivery.attempts", "mode", mode.tag(),
                "outcome", outcome.name().toLowerCase(java.util.Locale.ROOT)).increment();
    }

    void tlsResult(TlsResult result) {
        String policyType = result.policy().isPresent() ? "sts" : "no_policy_found";
        String type = result.failure().map(f -> f.type().token()).orElse("success");
        registry.counter("sts.relay.delivery.tls.results", "policy_type", policyType, "result", type).increment();
    }

    void refusal(TlsResultType type) {
        registry.counter("sts.relay.delivery.enforce.refusals", "result_type", type.token()).increment();
    }

    void mxMismatch() {
        mxMismatch.increment();
    }

    void plaintext(PolicyMode mode) {
        registry.counter("sts.relay.delivery.plaintext", "mode", mode.tag()).increment();
    }

    void tlsSession(String version) {
        registry.counter("sts.relay.delivery.tls.sessions", "version", version).increment();
    }

    void duration(Duration elapsed) {
        duration.record(elapsed);
    }

    void connectionOpened() {
        opened.increment();
        active.incrementAndGet();
    }

    void connectionClosed() {
        active.decrementAndGet();
    }

    void connectionReused() {
        reused.increment();
    }
}
