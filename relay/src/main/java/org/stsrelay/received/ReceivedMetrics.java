package org.stsrelay.received;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.support.NamedThreads;

/**
 * Gauges of the received reports, refreshed from the store once a minute on a thread of their own (reports arrive
 * once a day per sender, so a minute is fresh enough and a scrape never reads the disk):
 *
 * <ul>
 *   <li>{@code sts_relay_received_sessions{domain, organization, result="success|failure"}}: sessions reported for
 *       the last full UTC day (yesterday), whose reports are complete by now (RFC 8460 §4.1: daily reports);
 *   <li>{@code sts_relay_received_failures{domain, organization, result_type}}: failed sessions of that day by result
 *       type (RFC 8460 §4.3);
 *   <li>{@code sts_relay_received_reports{domain}}: reports in the verdict window ({@code ready-days});
 *   <li>{@code sts_relay_received_ready{domain}}: 1 when the domain is ready for enforce, else 0.
 * </ul>
 *
 * <p>Cardinality: {@code domain} is one of the owner's own domains, which are few; should strangers post reports
 * about many other domains, only the {@value #MAX_DOMAINS} domains with the most reports are exported. Only the
 * {@code metrics-organisations} organisations with the most sessions that day keep their name, the rest are
 * {@value OTHER}.
 */
public final class ReceivedMetrics implements AutoCloseable {

    /** The organisation label of every organisation not named. */
    public static final String OTHER = "other";

    /** The most domains exported. */
    static final int MAX_DOMAINS = 50;

    private static final Logger LOG = LoggerFactory.getLogger(ReceivedMetrics.class);

    private final ReceivedStore store;
    private final SummaryBuilder summaries;
    private final int windowDays;
    private final int namedOrganisations;
    private final MultiGauge sessions;
    private final MultiGauge failures;
    private final MultiGauge reports;
    private final MultiGauge ready;
    private ScheduledExecutorService scheduler;
    private String lastProblem;

    /**
     * @param windowDays         the verdict window, {@code received.ready-days}
     * @param namedOrganisations {@code received.metrics-organisations}
     */
    public ReceivedMetrics(
            ReceivedStore store,
            SummaryBuilder summaries,
            int windowDays,
            int namedOrganisations,
            MeterRegistry registry) {
        this.store = store;
        this.summaries = summaries;
        // At least two days, so that yesterday is in the window.
        this.windowDays = Math.max(2, Math.min(windowDays, SummaryBuilder.MAX_DAYS));
        this.namedOrganisations = namedOrganisations;
        this.sessions = MultiGauge.builder("sts.relay.received.sessions")
                .description("Sessions reported by senders for the last full UTC day")
                .register(registry);
        this.failures = MultiGauge.builder("sts.relay.received.failures")
                .description("Failed sessions reported for the last full UTC day, by result type")
                .register(registry);
        this.reports = MultiGauge.builder("sts.relay.received.reports")
                .description("Received reports in the verdict window")
                .register(registry);
        this.ready = MultiGauge.builder("sts.relay.received.ready")
                .description("1 when the domain is ready for MTA-STS enforce")
                .register(registry);
    }

    /** Refreshes now and then once a minute. */
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("received-metrics"));
        scheduler.scheduleWithFixedDelay(this::refreshQuietly, 0, 1, TimeUnit.MINUTES);
    }

    // Runs on the one scheduler thread; a problem that lasts is logged once, not every minute.
    private void refreshQuietly() {
        try {
            refresh();
            if (lastProblem != null) {
                LOG.info("received reports metrics refreshed again");
                lastProblem = null;
            }
        } catch (IOException | RuntimeException e) {
            if (!e.toString().equals(lastProblem)) {
                LOG.warn("received reports metrics not refreshed: {}", e.toString());
                lastProblem = e.toString();
            }
        }
    }

    /** Reads the store and sets every gauge. */
    public void refresh() throws IOException {
        ReceivedSummary summary = summaries.read(store, Optional.empty(), windowDays);
        LocalDate yesterday = summary.until().minusDays(2);
        List<DomainSummary> domains = summary.domains().stream()
                .sorted(Comparator.comparingInt(DomainSummary::reports).reversed())
                .limit(MAX_DOMAINS)
                .toList();
        Set<String> named = named(domains, yesterday);
        List<MultiGauge.Row<?>> sessionRows = new ArrayList<>();
        List<MultiGauge.Row<?>> failureRows = new ArrayList<>();
        for (DomainSummary d : domains) {
            Map<List<String>, Long> counts = new HashMap<>();
            for (DayRow row : d.days()) {
                if (row.day().equals(yesterday)) {
                    String org = named.contains(row.organisation()) ? row.organisation() : OTHER;
                    counts.merge(List.of("s", org, "success"), row.successful(), Long::sum);
                    counts.merge(List.of("s", org, "failure"), row.failed(), Long::sum);
                    row.failuresByType().forEach((type, n) -> counts.merge(List.of("f", org, type), n, Long::sum));
                }
            }
            counts.forEach((key, n) -> {
                if (key.get(0).equals("s")) {
                    sessionRows.add(
                            row(Tags.of("domain", d.domain(), "organization", key.get(1), "result", key.get(2)), n));
                } else {
                    failureRows.add(row(
                            Tags.of("domain", d.domain(), "organization", key.get(1), "result_type", key.get(2)), n));
                }
            });
        }
        sessions.register(sessionRows, true);
        failures.register(failureRows, true);
        reports.register(
                domains.stream()
                        .map(d -> row(Tags.of("domain", d.domain()), d.reports()))
                        .toList(),
                true);
        ready.register(
                domains.stream()
                        .map(d -> row(Tags.of("domain", d.domain()), d.verdict().ready() ? 1 : 0))
                        .toList(),
                true);
    }

    private static MultiGauge.Row<?> row(Tags tags, Number value) {
        return MultiGauge.Row.of(tags, value);
    }

    /** The organisations with the most sessions on {@code day}, over every domain, at most the configured number. */
    private Set<String> named(List<DomainSummary> domains, LocalDate day) {
        Map<String, Long> totals = domains.stream()
                .flatMap(d -> d.days().stream())
                .filter(r -> r.day().equals(day))
                .collect(Collectors.groupingBy(
                        DayRow::organisation, Collectors.summingLong(r -> r.successful() + r.failed())));
        return totals.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(namedOrganisations)
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
