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
        line(out, d.domain() + ": " + v.headline());
        line(out, "  evidence: " + v.evidence(d.reports()));
        v.blockers().forEach(b -> line(out, "  blocker: " + b));
        v.notes().forEach(n -> line(out, "  note: " + n));
        d.published()
                .ifPresent(p -> line(
                        out,
                        "  published (" + p.source() + ", id " + p.id().orElse("unknown") + "): "
                                + String.join(" | ", PolicyLines.canonical(p.lines()))));
        if (!d.days().isEmpty()) {
            line(out, "  day         successful     failed  organisation  failures by type");
            for (DayRow row : d.days()) {
                line(
                        out,
                        String.format(
                                "  %s %10d %10d  %s%s",
                                row.day(),
                                row.successful(),
                                row.failed(),
                                row.organisation(),
                                types(row.failuresByType())));
            }
        }
        if (!d.failures().isEmpty()) {
            line(out, "  failures:");
            d.failures().forEach(f -> line(out, "    " + f.policyType() + " " + VerdictRules.describe(f)));
        }
        if (!d.stale().isEmpty()) {
            line(out, "  senders applying an older policy:");
            d.stale().forEach(s -> line(out, "    " + s.organisation() + " on " + s.day() + ": " + s.difference()));
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

    // Report strings come from strangers: control characters (terminal escapes, line breaks) are not printed as such.
    private static void line(PrintWriter out, String text) {
        StringBuilder clean = new StringBuilder(text.length());
        text.codePoints().forEach(c -> clean.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        out.println(clean);
    }
}
