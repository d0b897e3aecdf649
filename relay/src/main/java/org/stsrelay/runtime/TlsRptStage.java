package org.stsrelay.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.control.ControlRequest;
import org.stsrelay.control.RequestHandler;
import org.stsrelay.delivery.TlsResult;
import org.stsrelay.delivery.TlsResultSink;
import org.stsrelay.tlsrpt.DkimSigner;
import org.stsrelay.tlsrpt.FleetReporting;
import org.stsrelay.tlsrpt.HttpsReportPoster;
import org.stsrelay.tlsrpt.ReportDispatcher;
import org.stsrelay.tlsrpt.ReportMailBuilder;
import org.stsrelay.tlsrpt.ReportScheduler;
import org.stsrelay.tlsrpt.ResultShipper;
import org.stsrelay.tlsrpt.TlsResultJournal;

/**
 * TLS-RPT (RFC 8460): the journal every TLS result is recorded in, and the daily reports built from it, mailed
 * through this relay's own spool or posted over https. In fleet mode the journal is also shipped to the fleet
 * database, and the reports are built from every node's results and sent by one node per day.
 */
final class TlsRptStage implements Stage {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POST_TIMEOUT = Duration.ofMinutes(2);

    private final RelayConfig config;
    private final SpoolStage spool;
    private final PolicyStage policies;
    private final EventLoopStage loops;
    private final RequestKinds control;
    private final FleetStage fleet;
    private final MeterRegistry registry;
    private final Clock clock;
    private TlsResultJournal journal;
    private ReportScheduler scheduler;
    private Optional<FleetReporting> fleetReports = Optional.empty();
    private ScheduledFuture<?> shipping;

    TlsRptStage(
            RelayConfig config,
            SpoolStage spool,
            PolicyStage policies,
            EventLoopStage loops,
            RequestKinds control,
            FleetStage fleet,
            MeterRegistry registry,
            Clock clock) {
        this.config = config;
        this.spool = spool;
        this.policies = policies;
        this.loops = loops;
        this.control = control;
        this.fleet = fleet;
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
        fleetReports = fleet.database()
                .map(database -> new FleetReporting(database, config.tlsrpt().directory(), registry, clock));
        ReportDispatcher dispatcher = dispatcher();
        ReportScheduler reports = fleetReports.isPresent()
                ? ReportScheduler.start(dispatcher, config.tlsrpt(), clock, new SecureRandom(), fleetReports.get())
                : ReportScheduler.start(dispatcher, config.tlsrpt(), clock, new SecureRandom());
        scheduler = reports;
        fleetReports.ifPresent(this::startShipping);
        control.register(ControlRequest.SendReports.class, pending -> {
            ControlRequest.SendReports send = (ControlRequest.SendReports) pending.request();
            // A fleet node without the day's lease leaves the request for the next poll.
            return reports.send(send.day(), send.domain())
                    .thenApply(sent -> sent ? RequestHandler.Outcome.APPLIED : RequestHandler.Outcome.RETRY);
        });
    }

    private void startShipping(FleetReporting reporting) {
        long interval = config.cluster().database().orElseThrow().shipInterval().toMillis();
        ResultShipper shipper = reporting.shipper();
        shipping = fleet.sync().scheduleWithFixedDelay(shipper::ship, interval, interval, TimeUnit.MILLISECONDS);
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
        Supplier<String> messageIds =
                ReportMailBuilder.randomMessageIds(config.tlsrpt().submitter());
        if (fleetReports.isPresent()) {
            return new ReportDispatcher(
                    config.tlsrpt(),
                    policies.dns(),
                    spool.spool(),
                    poster,
                    signer,
                    registry,
                    clock,
                    messageIds,
                    fleetReports.get());
        }
        return new ReportDispatcher(
                config.tlsrpt(), policies.dns(), spool.spool(), poster, signer, registry, clock, messageIds);
    }

    /** Where delivery hands every TLS result; valid once started. */
    TlsResultSink sink() {
        TlsResultJournal open = journal;
        return open != null ? open : (TlsResult result) -> {};
    }

    /**
     * Stops the scheduler, then closes the journal, after delivery stopped so the last results are written; in fleet
     * mode then ships what the journal got since the last shipment, before the fleet stage closes the database.
     */
    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (shipping != null) {
            shipping.cancel(false);
        }
        if (journal != null) {
            journal.close();
        }
        fleetReports.ifPresent(reporting -> reporting.shipper().shipFinal());
    }
}
