package org.stsrelay.cli;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.delivery.MxDelivery;
import org.stsrelay.delivery.TlsResult;
import org.stsrelay.delivery.TlsResultSink;
import org.stsrelay.queue.DeliveryQueue;
import org.stsrelay.spool.FileSpool;
import org.stsrelay.tlsrpt.TlsResultJournal;

/** The outbound half of the relay: the queue that schedules spooled mail and the MX delivery it drives. */
final class DeliveryStage implements AutoCloseable {

    private final MxDelivery delivery;
    private final DeliveryQueue queue;
    private final ScheduledExecutorService executor;
    private final TlsResultJournal journal;

    private DeliveryStage(MxDelivery delivery, DeliveryQueue queue, ScheduledExecutorService executor,
                          TlsResultJournal journal) {
        this.delivery = delivery;
        this.queue = queue;
        this.executor = executor;
        this.journal = journal;
    }

    /** Builds delivery over the policy stage's DNS client and cache; nothing runs until {@link #start()}. */
    static DeliveryStage open(RelayConfig config, PolicyStage policies, FileSpool spool, EventLoopGroup group,
                              MeterRegistry registry, Clock clock) throws IOException {
        // TLS results go to the journal the daily reports read; with TLS-RPT off there is nobody to report to.
        TlsResultJournal journal = config.tlsrpt().enabled()
                ? TlsResultJournal.open(config.tlsrpt().directory(), registry, clock) : null;
        TlsResultSink sink = journal != null ? journal : (TlsResult result) -> { };
        MxDelivery delivery = new MxDelivery(config.delivery(), config.mtaSts().enforcement(), config.hostname(),
                policies.dns(), policies.source(), config.tls().extraCertificates(), group, registry, clock,
                new SecureRandom());
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "queue");
            t.setDaemon(true);
            return t;
        });
        DeliveryQueue queue = new DeliveryQueue(spool, delivery, sink, config.delivery(), config.hostname(),
                registry, clock, executor);
        return new DeliveryStage(delivery, queue, executor, journal);
    }

    /** Schedules every spooled message and starts delivering. */
    void start() {
        queue.start();
    }

    /** Stops scheduling, lets attempts in flight end, closes outbound connections. */
    @Override
    public void close() {
        queue.close();
        delivery.close();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException interrupted) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        // Last, so the results of attempts that ended during shutdown are written and fsynced.
        if (journal != null) {
            journal.close();
        }
    }
}
