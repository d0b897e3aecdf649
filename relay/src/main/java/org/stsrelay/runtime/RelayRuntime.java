package org.stsrelay.runtime;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.received.FileReceivedStore;
import org.stsrelay.received.ReceivedReports;
import org.stsrelay.received.ReceivedStore;

/** The running relay: the stages built from the configuration, started in order and stopped in reverse. */
public final class RelayRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RelayRuntime.class);

    private final PrometheusMeterRegistry registry;
    private final List<Stage> started;

    private RelayRuntime(PrometheusMeterRegistry registry, List<Stage> started) {
        this.registry = registry;
        this.started = started;
    }

    /** Starts every stage of a relay configured by {@code config}; on a failure stops what started and throws. */
    public static RelayRuntime start(RelayConfig config, Clock clock) throws IOException {
        PrometheusMeterRegistry registry = MetricsStage.registry();
        ControlStage control = new ControlStage(config);
        SpoolStage spool = new SpoolStage(config.spool(), control, registry, clock);
        FleetStage fleet = new FleetStage(config.cluster(), registry, clock);
        // One loop per core, not Netty's two: every handler is non-blocking, and more loops than cores only
        // preempt one another (measured in README › Benchmarks: lower CPU per message and a shorter tail).
        EventLoopStage loops = new EventLoopStage(Runtime.getRuntime().availableProcessors());
        PolicyStage policies = new PolicyStage(config, loops, control, registry, clock, fleet);
        TlsRptStage tlsrpt = new TlsRptStage(config, spool, policies, loops, control, fleet, registry, clock);
        DeliveryStage delivery = new DeliveryStage(config, spool, policies, tlsrpt, loops, control, registry, clock);
        InboundStage inbound = new InboundStage(config, spool, loops, registry, clock);
        ReceivedStore receivedStore = new FileReceivedStore(config.received().directory());
        ReceivedStage received = new ReceivedStage(config, receivedStore, policies, loops, registry, clock);
        MetricsStage metrics = new MetricsStage(
                config.metrics(),
                registry,
                () -> spool.spool().isWritable() && inbound.isListening(),
                Optional.of(received.page()));
        OwnerSiteStage ownerSite = new OwnerSiteStage(
                config, new ReceivedReports(config.received(), receivedStore, clock, registry), registry, clock);
        // The order, and why; stop is the reverse. Each stage applies the operator requests of its kind that were
        // left while no relay ran as it starts, before the stages after it run.
        // 0. control: requests of earlier versions are migrated before any stage reads the requests.
        // 1. spool: recovered before anything reads it, closed last so every commit and state change is durable.
        // 1a. fleet: the database pool exists before the policy store and the TLS-RPT shipper use it, and closes
        //     after both stopped; it never waits for the database.
        // 2. event loops: shared by policy fetch, delivery, https reports and inbound; they outlive all of them.
        // 3. policies: every stored policy is loaded before the first delivery (RFC 8461 §10.2).
        // 4. TLS-RPT: the journal is open before the first attempt records a result, and closes after the last
        //    attempt ended, so results of attempts that end during a stop are written (RFC 8460 §4).
        // 5. delivery: the queue takes what the spool holds.
        // 5a. received reports: their gauges and the /reports page, served by metrics.
        // 6. metrics: /readyz answers "not ready" until inbound listens, and stays up while inbound drains.
        // 6a. owner site: policy files and posted reports of the organisation's own domains; independent of mail.
        // 7. inbound: mail is accepted only once everything that delivers it runs.
        // 8. request polling: new requests reach only stages that run; first to stop, so that no request is
        //    applied half-way through a stop (it waits for the next start).
        List<Stage> order = List.of(
                control,
                spool,
                fleet,
                loops,
                policies,
                tlsrpt,
                delivery,
                received,
                metrics,
                ownerSite,
                inbound,
                control.polling());
        List<Stage> started = new ArrayList<>();
        try {
            for (Stage stage : order) {
                started.add(stage);
                stage.start();
            }
        } catch (IOException | RuntimeException e) {
            new RelayRuntime(registry, started).close();
            throw e;
        }
        LOG.info(
                "sts-relay {} ready: SMTP on {}, metrics on {}, owner site on {}",
                config.hostname(),
                inbound.boundAddresses(),
                metrics.boundAddress().orElse("(off)"),
                ownerSite.boundAddress().orElse("(off)"));
        return new RelayRuntime(registry, started);
    }

    /** Stops the stages in the reverse of their start order, then the registry. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        registry.close();
    }
}
