package org.stsrelay.queue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Every meter of the queue, in one place; tags are low-cardinality (never a domain or an address). */
final class QueueMetrics implements AutoCloseable {

    /** What the gauges read from the queue at scrape time. */
    interface View {
        /** Recipients not yet tried (and not held). */
        long queued();

        /** Recipients tried at least once and waiting for a retry (and not held). */
        long deferred();

        /** Pending recipients whose delivery is held. */
        long held();

        /** Age of the oldest message held in the queue, in seconds; 0 when it is empty. */
        double oldestAgeSeconds();
    }

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final AtomicInteger inflight = new AtomicInteger();
    private final Counter bounces;
    private final Map<DsnAction, Counter> dsns = new EnumMap<>(DsnAction.class);

    QueueMetrics(MeterRegistry registry, View view) {
        this.registry = registry;
        // Gauges hold their object weakly; the view has no other owner, so they must hold it strongly.
        meters.add(Gauge.builder("sts.relay.queue.recipients", view, View::queued)
                .strongReference(true)
                .description("Recipients in the queue by state")
                .tag("state", "pending")
                .register(registry));
        meters.add(Gauge.builder("sts.relay.queue.recipients", view, View::deferred)
                .strongReference(true)
                .description("Recipients in the queue by state")
                .tag("state", "deferred")
                .register(registry));
        meters.add(Gauge.builder("sts.relay.queue.recipients", view, View::held)
                .strongReference(true)
                .description("Recipients in the queue by state")
                .tag("state", "held")
                .register(registry));
        meters.add(Gauge.builder("sts.relay.queue.oldest.age", view, View::oldestAgeSeconds)
                .strongReference(true)
                .description("Age of the oldest message in the queue")
                .baseUnit("seconds")
                .register(registry));
        meters.add(Gauge.builder("sts.relay.queue.attempts.inflight", inflight, AtomicInteger::get)
                .description("Delivery attempts under way")
                .register(registry));
        bounces = Counter.builder("sts.relay.queue.bounces")
                .description("Recipients bounced")
                .register(registry);
        meters.add(bounces);
        for (DsnAction action : DsnAction.values()) {
            Counter counter = Counter.builder("sts.relay.queue.dsn")
                    .description("DSNs queued to senders")
                    .tag("action", action.field())
                    .register(registry);
            dsns.put(action, counter);
            meters.add(counter);
        }
    }

    void attemptStarted() {
        inflight.incrementAndGet();
    }

    void attemptEnded() {
        inflight.decrementAndGet();
    }

    void bounced() {
        bounces.increment();
    }

    void dsnQueued(DsnAction action) {
        dsns.get(action).increment();
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
