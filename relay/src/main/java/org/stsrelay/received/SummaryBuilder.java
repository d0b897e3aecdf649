package org.stsrelay.received;

import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.stsrelay.config.ReceivedConfig;
import org.stsrelay.policy.DomainNames;

/** Reads the received reports of the last days and sums them up per domain, with a verdict for each. */
public final class SummaryBuilder {

    /** The longest window a summary covers, in days. */
    public static final int MAX_DAYS = 400;

    private final VerdictRules rules;
    private final PublishedPolicies published;
    private final Clock clock;

    /**
     * @param config    the thresholds of the verdict
     * @param published what each domain publishes now
     * @param clock     what "today" is, in UTC
     */
    public SummaryBuilder(ReceivedConfig config, PublishedPolicies published, Clock clock) {
        this.rules = new VerdictRules(config.readyDays(), config.readyOrganisations());
        this.published = published;
        this.clock = clock;
    }

    /**
     * Sums up the reports of the last {@code days} UTC days, today included.
     *
     * @param domain only this normalised domain, or every domain reported on
     * @param days   1 to {@link #MAX_DAYS}
     */
    public ReceivedSummary read(ReceivedStore store, Optional<String> domain, int days) throws IOException {
        if (days < 1 || days > MAX_DAYS) {
            throw new IllegalArgumentException("days must be 1 to " + MAX_DAYS + ": " + days);
        }
        LocalDate until = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(1);
        LocalDate from = until.minusDays(days);
        return build(store.reports(from, until), domain, from, until);
    }

    /** Sums up the given reports whose period starts within {@code [from, until)}. */
    public ReceivedSummary build(List<StoredReport> reports, Optional<String> domain, LocalDate from, LocalDate until) {
        Map<String, List<Applied>> byDomain = new TreeMap<>();
        Map<String, Integer> reportCounts = new TreeMap<>();
        domain.ifPresent(d -> byDomain.put(d, new ArrayList<>()));
        for (StoredReport stored : reports) {
            ReceivedReport report = stored.report();
            LocalDate day = LocalDate.ofInstant(report.start(), ZoneOffset.UTC);
            if (day.isBefore(from) || !day.isBefore(until)) {
                continue;
            }
            List<String> mentioned = new ArrayList<>();
            for (ReportedPolicy policy : report.policies()) {
                String name = normalise(policy.policyDomain());
                if (domain.isEmpty() || domain.get().equals(name)) {
                    byDomain.computeIfAbsent(name, k -> new ArrayList<>())
                            .add(new Applied(day, report.organizationName(), policy));
                    if (!mentioned.contains(name)) {
                        mentioned.add(name);
                        reportCounts.merge(name, 1, Integer::sum);
                    }
                }
            }
        }
        int windowDays = (int) (until.toEpochDay() - from.toEpochDay());
        List<DomainSummary> domains = new ArrayList<>();
        byDomain.forEach(
                (name, applied) -> domains.add(domain(name, applied, reportCounts.getOrDefault(name, 0), windowDays)));
        return new ReceivedSummary(clock.instant(), from, until, domains);
    }

    private DomainSummary domain(String name, List<Applied> applied, int reports, int windowDays) {
        List<FailureRow> failures = DayTable.failures(applied);
        PublishedLookup lookup = DomainNames.normalize(name).isPresent()
                ? published.find(name)
                : new PublishedLookup.Unknown("not a domain name");
        Optional<PublishedPolicy> policy =
                lookup instanceof PublishedLookup.Found found ? Optional.of(found.policy()) : Optional.empty();
        List<StaleSender> stale = policy.map(p -> StaleSenders.find(applied, p)).orElse(List.of());
        Verdict verdict = rules.decide(applied, failures, lookup, stale, windowDays);
        return new DomainSummary(name, verdict, DayTable.rows(applied), failures, stale, policy, reports);
    }

    // RFC 8460 §4.4 names the policy-domain; senders differ in case and in a trailing dot. A name that is no domain
    // is kept as sent, so the page shows it, but never looked up.
    private static String normalise(String domain) {
        return DomainNames.normalize(domain.strip()).orElse(domain);
    }
}
