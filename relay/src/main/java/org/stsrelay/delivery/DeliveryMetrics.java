package org.stsrelay.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
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
    /** The attempts counter of each mode and outcome, made once: a lookup by name and tags per recipient is not free. */
    private final Map<PolicyMode, Map<Outcome, Counter>> recipients = new EnumMap<>(PolicyMode.class);

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
        // Every series exists from the start, at zero, so dashboards and rate() work before the first event.
        for (PolicyMode mode : PolicyMode.values()) {
            Map<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                byOutcome.put(outcome, recipientCounter(mode, outcome));
            }
            recipients.put(mode, byOutcome);
        }
        for (String policyType : java.util.List.of("sts", "tlsa", "no_policy_found")) {
            tlsResultCounter(policyType, "success");
            for (TlsResultType type : TlsResultType.values()) {
                tlsResultCounter(policyType, type.token());
            }
        }
        for (TlsResultType type : TlsResultType.values()) {
            refusalCounter(type);
        }
    }

    private io.micrometer.core.instrument.Counter recipientCounter(PolicyMode mode, Outcome outcome) {
        return registry.counter(
                "sts.relay.delivery.attempts",
                "mode",
                mode.tag(),
                "outcome",
                outcome.name().toLowerCase(java.util.Locale.ROOT));
    }

    private io.micrometer.core.instrument.Counter tlsResultCounter(String policyType, String result) {
        return registry.counter("sts.relay.delivery.tls.results", "policy_type", policyType, "result", result);
    }

    private io.micrometer.core.instrument.Counter refusalCounter(TlsResultType type) {
        return registry.counter("sts.relay.delivery.enforce.refusals", "result_type", type.token());
    }

    void recipient(PolicyMode mode, Outcome outcome) {
        recipients.get(mode).get(outcome).increment();
    }

    void tlsResult(TlsResult result) {
        String policyType =
                result.tlsa().isPresent() ? "tlsa" : result.policy().isPresent() ? "sts" : "no_policy_found";
        String type = result.failure().map(f -> f.type().token()).orElse("success");
        tlsResultCounter(policyType, type).increment();
    }

    void refusal(TlsResultType type) {
        refusalCounter(type).increment();
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
