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
 * Reads one UTC day of the result journal and aggregates it per (policy domain, policy), failures grouped
 * as RFC 8460 §4.4 {@code failure-details}; a session is a success only if it was policy-compliant (RFC 8460 §4.2).
 */
public final class DailyAggregator {

    private final Path directory;
    private final JournalFormat format = new JournalFormat();

    /** Aggregates the journal in {@code directory} (TlsRptConfig.directory()). */
    public DailyAggregator(Path directory) {
        this.directory = directory;
    }

    /** Every policy domain with results on {@code day}, in domain order. */
    public List<DomainResults> aggregate(LocalDate day) throws IOException {
        Map<String, Map<ReportedPolicy, Tally>> byDomain = new TreeMap<>();
        for (JournalEntry e : format.readDay(directory, day)) {
            byDomain.computeIfAbsent(e.policyDomain(), d -> new LinkedHashMap<>())
                    .computeIfAbsent(e.policy(), p -> new Tally())
                    .add(e);
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

        void add(JournalEntry e) {
            if (e.success()) {
                successes++;
                return;
            }
            failures++;
            details.merge(
                    new FailureKey(
                            e.resultType().orElseThrow(),
                            e.sendingIp(),
                            e.mxHost(),
                            e.helo(),
                            e.receivingIp(),
                            e.reasonCode()),
                    1L,
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
