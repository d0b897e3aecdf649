package org.stsrelay.received;

import java.io.PrintWriter;
import java.util.Map;
import java.util.stream.Collectors;

/** Prints a summary for a terminal: per domain the verdict first, then the day table, failures and stale senders. */
public final class SummaryText {

    private SummaryText() {}

    /** Prints {@code summary} to {@code out}. */
    public static void print(ReceivedSummary summary, PrintWriter out) {
        out.println("received TLS-RPT reports, UTC days " + summary.from() + " to "
                + summary.until().minusDays(1));
        if (summary.domains().isEmpty()) {
            out.println("no reports");
        }
        for (DomainSummary domain : summary.domains()) {
            out.println();
            domain(domain, out);
        }
    }

    private static void domain(DomainSummary d, PrintWriter out) {
        Verdict v = d.verdict();
        out.println(d.domain() + ": " + v.headline());
        out.println("  evidence: " + v.testingDays() + " of " + v.requiredDays() + " days in testing, "
                + v.organisations() + " of " + v.requiredOrganisations() + " organisations, " + d.reports()
                + " reports");
        v.blockers().forEach(b -> out.println("  blocker: " + b));
        v.notes().forEach(n -> out.println("  note: " + n));
        d.published()
                .ifPresent(p -> out.println("  published (" + p.source() + ", id " + p.id().orElse("unknown") + "): "
                        + String.join(" | ", PolicyLines.canonical(p.lines()))));
        if (!d.days().isEmpty()) {
            out.println("  day         successful     failed  organisation  failures by type");
            for (DayRow row : d.days()) {
                out.printf(
                        "  %s %10d %10d  %s%s%n",
                        row.day(), row.successful(), row.failed(), row.organisation(), types(row.failuresByType()));
            }
        }
        if (!d.failures().isEmpty()) {
            out.println("  failures:");
            d.failures().forEach(f -> out.println("    " + f.policyType() + " " + VerdictRules.describe(f)));
        }
        if (!d.stale().isEmpty()) {
            out.println("  senders applying an older policy:");
            d.stale().forEach(s -> out.println("    " + s.organisation() + " on " + s.day() + ": " + s.difference()));
        }
    }

    private static String types(Map<String, Long> byType) {
        if (byType.isEmpty()) {
            return "";
        }
        return "  "
                + byType.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", "));
    }
}
