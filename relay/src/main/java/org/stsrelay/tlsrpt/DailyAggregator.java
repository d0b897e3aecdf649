package org.stsrelay.tlsrpt;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.stsrelay.delivery.TlsResultType;

/**
 * Aggregates one UTC day of results per (policy domain, policy), failures grouped as RFC 8460 §4.4
 * {@code failure-details}; a session is a success only if it was policy-compliant (RFC 8460 §4.2). The results
 * come from this node's journal, or in fleet mode from every node's shipped batches.
 */
public final class DailyAggregator {

    private final ResultSource source;

    /** Aggregates the journal in {@code directory} (TlsRptConfig.directory()). */
    public DailyAggregator(Path directory) {
        this(new JournalResults(directory));
    }

    /** Aggregates the results of {@code source}. */
    DailyAggregator(ResultSource source) {
        this.source = source;
    }

    /** Every policy domain with results on {@code day}, in domain order. */
    public List<DomainResults> aggregate(LocalDate day) throws IOException {
        return aggregate(day, source.day(day));
    }

    /** The day's {@code groups} aggregated per domain, in domain order. */
    static List<DomainResults> aggregate(LocalDate day, List<ResultGroup> groups) {
        Map<String, Map<ReportedPolicy, Tally>> byDomain = new TreeMap<>();
        for (ResultGroup g : groups) {
            byDomain.computeIfAbsent(g.key().policyDomain(), d -> new LinkedHashMap<>())
                    .computeIfAbsent(g.key().policy(), p -> new Tally())
                    .add(g);
        }
        List<DomainResults> out = new ArrayList<>();
        byDomain.forEach((domain, policies) -> {
            List<PolicyResults> results = new ArrayList<>();
            policies.forEach((policy, tally) -> results.add(tally.results(policy)));
            out.add(new DomainResults(domain, day, results));
        });
        return out;
    }

    /** The key RFC 8460 §4.4 groups failure details by. */
    private record FailureKey(
            TlsResultType type,
            Optional<String> sendingIp,
            Optional<String> mxHost,
            Optional<String> helo,
            Optional<String> receivingIp,
            Optional<String> reasonCode) {}

    private static final class Tally {
        private long successes;
        private long failures;
        private final Map<FailureKey, Long> details = new LinkedHashMap<>();

        void add(ResultGroup g) {
            ResultKey k = g.key();
            if (k.success()) {
                successes += g.count();
                return;
            }
            failures += g.count();
            details.merge(
                    new FailureKey(
                            k.resultType().orElseThrow(),
                            k.sendingIp(),
                            k.mxHost(),
                            k.helo(),
                            k.receivingIp(),
                            k.reasonCode()),
                    g.count(),
                    Long::sum);
        }

        PolicyResults results(ReportedPolicy policy) {
            List<FailureDetail> list = new ArrayList<>();
            details.forEach((k, n) -> list.add(new FailureDetail(
                    k.type(), k.sendingIp(), k.mxHost(), k.helo(), k.receivingIp(), k.reasonCode(), n)));
            return new PolicyResults(policy, successes, failures, list);
        }
    }
}
