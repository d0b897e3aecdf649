package org.stsrelay.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.control.ControlRequest;
import org.stsrelay.control.RequestHandler;
import org.stsrelay.delivery.TlsResult;
import org.stsrelay.delivery.TlsResultSink;
import org.stsrelay.tlsrpt.DkimSigner;
import org.stsrelay.tlsrpt.HttpsReportPoster;
import org.stsrelay.tlsrpt.ReportDispatcher;
import org.stsrelay.tlsrpt.ReportMailBuilder;
import org.stsrelay.tlsrpt.ReportScheduler;
import org.stsrelay.tlsrpt.TlsResultJournal;

/**
 * TLS-RPT (RFC 8460): the journal every TLS result is recorded in, and the daily reports built from it, mailed
 * through this relay's own spool or posted over https.
 */
final class TlsRptStage implements Stage {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POST_TIMEOUT = Duration.ofMinutes(2);

    private final RelayConfig config;
    private final SpoolStage spool;
    private final PolicyStage policies;
    private final EventLoopStage loops;
    private final RequestKinds control;
    private final MeterRegistry registry;
    private final Clock clock;
    private TlsResultJournal journal;
    private ReportScheduler scheduler;

    TlsRptStage(
            RelayConfig config,
            SpoolStage spool,
            PolicyStage policies,
            EventLoopStage loops,
            RequestKinds control,
            MeterRegistry registry,
            Clock clock) {
        this.config = config;
        this.spool = spool;
        this.policies = policies;
        this.loops = loops;
        this.control = control;
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * Opens the journal, starts the daily report scheduler and takes {@code report send} requests; with TLS-RPT
     * off there is nobody to report to (and requests wait for a start with it on).
     */
    @Override
    public void start() throws IOException {
        if (!config.tlsrpt().enabled()) {
            return;
        }
        journal = TlsResultJournal.open(config.tlsrpt().directory(), registry, clock);
        ReportScheduler reports = ReportScheduler.start(dispatcher(), config.tlsrpt(), clock, new SecureRandom());
        scheduler = reports;
        control.register(ControlRequest.SendReports.class, pending -> {
            ControlRequest.SendReports send = (ControlRequest.SendReports) pending.request();
            return reports.send(send.day(), send.domain()).thenApply(sent -> RequestHandler.Outcome.APPLIED);
        });
    }

    private ReportDispatcher dispatcher() throws IOException {
        Optional<DkimSigner> signer = config.tlsrpt().dkim().isPresent()
                ? Optional.of(DkimSigner.load(config.tlsrpt().dkim().get(), clock))
                : Optional.empty();
        HttpsReportPoster poster = new HttpsReportPoster(
                loops.group(),
                config.tls().extraCertificates(),
                CONNECT_TIMEOUT,
                POST_TIMEOUT,
                HttpsReportPoster.resolverOf(policies.dns()));
        return new ReportDispatcher(
                config.tlsrpt(),
                policies.dns(),
                spool.spool(),
                poster,
                signer,
                registry,
                clock,
                ReportMailBuilder.randomMessageIds(config.tlsrpt().submitter()));
    }

    /** Where delivery hands every TLS result; valid once started. */
    TlsResultSink sink() {
        TlsResultJournal open = journal;
        return open != null ? open : (TlsResult result) -> {};
    }

    /** Stops the scheduler, then closes the journal, after delivery stopped so the last results are written. */
    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (journal != null) {
            journal.close();
        }
    }
}
