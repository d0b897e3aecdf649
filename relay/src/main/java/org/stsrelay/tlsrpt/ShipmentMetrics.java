package org.stsrelay.tlsrpt;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** The metrics of result shipping in fleet mode; alert rules use these names. */
final class ShipmentMetrics {

    private final Clock clock;
    private final AtomicLong lastShipmentMillis;
    private final AtomicLong unshipped = new AtomicLong();
    private final Counter results;
    private final Counter batches;

    ShipmentMetrics(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        // Before the first shipment the lag counts from start-up, so a node that never ships shows a growing lag.
        this.lastShipmentMillis = new AtomicLong(clock.millis());
        Gauge.builder("sts.relay.cluster.shipment.lag", this, ShipmentMetrics::lagSeconds)
                .baseUnit("seconds")
                .description("Seconds since this node's last successful shipment of TLS results")
                .register(registry);
        Gauge.builder("sts.relay.cluster.unshipped.results", unshipped, AtomicLong::get)
                .description("TLS results recorded in the journal but not yet shipped to the fleet database")
                .register(registry);
        this.results = Counter.builder("sts.relay.cluster.shipped.results")
                .description("TLS results shipped to the fleet database")
                .register(registry);
        this.batches = Counter.builder("sts.relay.cluster.shipped.batches")
                .description("Batches of TLS results shipped to the fleet database")
                .register(registry);
    }

    /** A successful shipment of {@code batchCount} batches holding {@code resultCount} results. */
    void shipped(long batchCount, long resultCount) {
        lastShipmentMillis.set(clock.millis());
        batches.increment(batchCount);
        results.increment(resultCount);
    }

    void unshipped(long count) {
        unshipped.set(count);
    }

    long unshipped() {
        return unshipped.get();
    }

    private double lagSeconds() {
        return Math.max(0, clock.millis() - lastShipmentMillis.get()) / 1000.0;
    }
}
