package org.stsrelay.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.delivery.MxDelivery;
import org.stsrelay.queue.DeliveryQueue;
import org.stsrelay.support.NamedThreads;

/** The outbound half of the relay: the queue that schedules spooled mail and the MX delivery it drives. */
final class DeliveryStage implements Stage {

    private final RelayConfig config;
    private final SpoolStage spool;
    private final PolicyStage policies;
    private final TlsRptStage tlsrpt;
    private final EventLoopStage loops;
    private final MeterRegistry registry;
    private final Clock clock;
    private MxDelivery delivery;
    private ScheduledExecutorService executor;
    private DeliveryQueue queue;

    DeliveryStage(RelayConfig config, SpoolStage spool, PolicyStage policies, TlsRptStage tlsrpt,
                  EventLoopStage loops, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.spool = spool;
        this.policies = policies;
        this.tlsrpt = tlsrpt;
        this.loops = loops;
        this.registry = registry;
        this.clock = clock;
    }

    /** Builds delivery over the policy stage's DNS client and cache, schedules every spooled message and starts. */
    @Override
    public void start() {
        delivery = new MxDelivery(config.delivery(), config.mtaSts().enforcement(), config.dane().mode(),
                config.hostname(), policies.dns(), policies.source(), config.tls().extraCertificates(),
                loops.group(), registry, clock, new SecureRandom());
        executor = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("queue"));
        queue = new DeliveryQueue(spool.spool(), delivery, tlsrpt.sink(), config.delivery(), config.hostname(),
                registry, clock, executor);
        queue.start();
    }

    /** Stops scheduling, lets attempts in flight end, closes outbound connections. */
    @Override
    public void close() {
        if (queue != null) {
            queue.close();
        }
        if (delivery != null) {
            delivery.close();
        }
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException interrupted) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
