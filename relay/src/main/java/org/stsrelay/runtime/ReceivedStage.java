package org.stsrelay.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.metrics.ReportsPage;
import org.stsrelay.policy.fetch.FetchSettings;
import org.stsrelay.policy.fetch.PolicyFetcher;
import org.stsrelay.policy.resolve.PolicyResolver;
import org.stsrelay.received.OwnerSitePolicies;
import org.stsrelay.received.ReceivedMetrics;
import org.stsrelay.received.ReceivedReportsPage;
import org.stsrelay.received.ReceivedStore;
import org.stsrelay.received.SummaryBuilder;

/**
 * The reading side of received TLS-RPT reports in a running relay: the {@code sts_relay_received_*} gauges and the
 * {@code /reports} page. Published policies come from the owner site's files, else over the relay's DNS client and
 * the policy fetch settings (RFC 8461 §3).
 */
final class ReceivedStage implements Stage {

    private final RelayConfig config;
    private final ReceivedStore store;
    private final PolicyStage policies;
    private final EventLoopStage loops;
    private final MeterRegistry registry;
    private final Clock clock;
    private volatile ReportsPage page;
    private ReceivedMetrics metrics;

    /**
     * @param store    the received reports
     * @param policies started before this stage: its DNS client looks up the TXT ids
     * @param loops    started before this stage: policy fetches run on them
     */
    ReceivedStage(
            RelayConfig config,
            ReceivedStore store,
            PolicyStage policies,
            EventLoopStage loops,
            MeterRegistry registry,
            Clock clock) {
        this.config = config;
        this.store = store;
        this.policies = policies;
        this.loops = loops;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public void start() {
        FetchSettings settings = config.mtaSts().fetchSettings(config.tls().extraCertificates());
        PolicyFetcher fetcher = PolicyFetcher.create(settings, policies.dns(), loops.group(), clock);
        OwnerSitePolicies published = new OwnerSitePolicies(
                config.ownerSite().domainsDirectory(),
                new PolicyResolver(policies.dns(), fetcher, clock),
                settings.totalTimeout());
        SummaryBuilder summaries = new SummaryBuilder(config.received(), published, clock);
        int days = Math.min(config.received().readyDays(), SummaryBuilder.MAX_DAYS);
        page = new ReceivedReportsPage(store, summaries, days);
        metrics = new ReceivedMetrics(store, summaries, days, config.received().metricsOrganisations(), registry);
        metrics.start();
    }

    /** The {@code /reports} page for the metrics listener; it answers 503 until this stage has started. */
    ReportsPage page() {
        return this::render;
    }

    private ReportsPage.Response render(Map<String, List<String>> query) {
        ReportsPage started = page;
        return started == null
                ? new ReportsPage.Response(503, "<!DOCTYPE html><p>starting</p>")
                : started.render(query);
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
    }
}
