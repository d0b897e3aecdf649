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
import org.stsrelay.config.TlsRptConfig;
import org.stsrelay.delivery.MxDelivery;
import org.stsrelay.delivery.TlsResult;
import org.stsrelay.delivery.TlsResultSink;
import org.stsrelay.queue.DeliveryQueue;
import org.stsrelay.spool.FileSpool;
import java.time.Duration;
import java.util.Optional;
import org.stsrelay.tlsrpt.DkimSigner;
import org.stsrelay.tlsrpt.HttpsReportPoster;
import org.stsrelay.tlsrpt.ReportDispatcher;
import org.stsrelay.tlsrpt.ReportMailBuilder;
import org.stsrelay.tlsrpt.ReportScheduler;
import org.stsrelay.tlsrpt.TlsResultJournal;

/** The outbound half of the relay: the queue that schedules spooled mail and the MX delivery it drives. */
final class DeliveryStage implements AutoCloseable {

    private final MxDelivery delivery;
    private final DeliveryQueue queue;
    private final ScheduledExecutorService executor;
    private final TlsResultJournal journal;
    private final ReportDispatcher reports;
    private final TlsRptConfig tlsrpt;
    private final Clock clock;
    private ReportScheduler scheduler;

    private DeliveryStage(MxDelivery delivery, DeliveryQueue queue, ScheduledExecutorService executor,
                          TlsResultJournal journal, ReportDispatcher reports, TlsRptConfig tlsrpt, Clock clock) {
        this.delivery = delivery;
        this.queue = queue;
        this.executor = executor;
        this.journal = journal;
        this.reports = reports;
        this.tlsrpt = tlsrpt;
        this.clock = clock;
    }

    /** Builds delivery over the policy stage's DNS client and cache; nothing runs until {@link #start()}. */
    static DeliveryStage open(RelayConfig config, PolicyStage policies, FileSpool spool, EventLoopGroup group,
                              MeterRegistry registry, Clock clock) throws IOException {
        // TLS results go to the journal the daily reports read; with TLS-RPT off there is nobody to report to.
        TlsResultJournal journal = config.tlsrpt().enabled()
                ? TlsResultJournal.open(config.tlsrpt().directory(), registry, clock) : null;
        TlsResultSink sink = journal != null ? journal : (TlsResult result) -> { };
        MxDelivery delivery = new MxDelivery(config.delivery(), config.mtaSts().enforcement(), config.dane().mode(),
                config.hostname(),
                policies.dns(), policies.source(), config.tls().extraCertificates(), group, registry, clock,
                new SecureRandom());
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "queue");
            t.setDaemon(true);
            return t;
        });
        DeliveryQueue queue = new DeliveryQueue(spool, delivery, sink, config.delivery(), config.hostname(),
                registry, clock, executor);
        ReportDispatcher reports = journal == null ? null : reports(config, policies, spool, group, registry, clock);
        return new DeliveryStage(delivery, queue, executor, journal, reports, config.tlsrpt(),
                clock);
    }

    /** The daily TLS-RPT report sender: mail goes into this relay's own spool, https over the shared loops. */
    private static ReportDispatcher reports(RelayConfig config, PolicyStage policies, FileSpool spool,
            EventLoopGroup group, MeterRegistry registry, Clock clock) throws IOException {
        Optional<DkimSigner> signer = config.tlsrpt().dkim().isPresent()
                ? Optional.of(DkimSigner.load(config.tlsrpt().dkim().get(), clock)) : Optional.empty();
        HttpsReportPoster poster = new HttpsReportPoster(group, config.tls().extraCertificates(),
                Duration.ofSeconds(30), Duration.ofMinutes(2), HttpsReportPoster.resolverOf(policies.dns()));
        return new ReportDispatcher(config.tlsrpt(), policies.dns(), spool, poster, signer, registry, clock,
                ReportMailBuilder.randomMessageIds(config.tlsrpt().submitter()));
    }

    /** Schedules every spooled message and starts delivering. */
    void start() {
        queue.start();
        if (reports != null) {
            scheduler = ReportScheduler.start(reports, tlsrpt, clock, new SecureRandom());
        }
    }

    /** Stops scheduling, lets attempts in flight end, closes outbound connections. */
    @Override
    public void close() {
        // First: a report mail being committed needs the spool, which closes after this stage.
        if (scheduler != null) {
            scheduler.close();
        }
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
