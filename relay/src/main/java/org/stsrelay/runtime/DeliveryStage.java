package org.stsrelay.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.control.ControlRequest;
import org.stsrelay.control.RequestHandler;
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
    private final RequestKinds control;
    private final MeterRegistry registry;
    private final Clock clock;
    private MxDelivery delivery;
    private ScheduledExecutorService executor;
    private DeliveryQueue queue;

    DeliveryStage(
            RelayConfig config,
            SpoolStage spool,
            PolicyStage policies,
            TlsRptStage tlsrpt,
            EventLoopStage loops,
            RequestKinds control,
            MeterRegistry registry,
            Clock clock) {
        this.control = control;
        this.config = config;
        this.spool = spool;
        this.policies = policies;
        this.tlsrpt = tlsrpt;
        this.loops = loops;
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * Builds delivery over the policy stage's DNS client and cache, applies the hold and release requests left
     * while no relay ran (so held mail is not tried at start), schedules every spooled message and starts.
     */
    @Override
    public void start() {
        delivery = new MxDelivery(
                config.delivery(),
                config.mtaSts().enforcement(),
                config.dane().mode(),
                config.hostname(),
                policies.dns(),
                policies.source(),
                config.tls().extraCertificates(),
                loops.group(),
                registry,
                clock,
                new SecureRandom());
        executor = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("queue"));
        queue = new DeliveryQueue(
                spool.spool(),
                delivery,
                tlsrpt.sink(),
                config.delivery(),
                config.hostname(),
                registry,
                clock,
                executor);
        Instant started = clock.instant();
        control.register(
                ControlRequest.Hold.class,
                pending -> applied(queue.hold(((ControlRequest.Hold) pending.request()).domain())));
        // A release overrides delivery.paused until the next start; one left before this start does not.
        control.register(
                ControlRequest.Release.class,
                pending -> applied(queue.release(
                        ((ControlRequest.Release) pending.request()).domain(),
                        pending.submitted().isAfter(started))));
        queue.start();
        control.register(
                ControlRequest.Flush.class,
                pending -> applied(queue.flush(((ControlRequest.Flush) pending.request()).domain())));
    }

    private static CompletionStage<RequestHandler.Outcome> applied(CompletionStage<Void> done) {
        return done.thenApply(ignored -> RequestHandler.Outcome.APPLIED);
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
