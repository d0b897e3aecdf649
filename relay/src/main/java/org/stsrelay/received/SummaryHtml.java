package org.stsrelay.received;

import java.util.List;

/**
 * Renders a summary as a self-contained HTML page: no script, no outside resource, every report string escaped. The
 * {@code data-*} attributes are stable hooks for tests and tools.
 */
final class SummaryHtml {

    private static final String STYLE = "body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}"
            + "td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}td.n{text-align:right}"
            + ".ready{color:#060}.not-ready{color:#a00}rect.success{fill:#4a4}rect.failure{fill:#c33}text.label{font:9px sans-serif;fill:#444}.ok{color:#4a4}.bad{color:#c33}"
            + "svg{display:block;margin:.5em 0}";

    /** The most domains on one page; the others are reached with {@code ?domain=}. */
    static final int MAX_DOMAINS = 100;

    private SummaryHtml() {}

    /** The page for {@code summary}. */
    static String render(ReceivedSummary summary) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>TLS-RPT reports</title>")
                .append("<style>")
                .append(STYLE)
                .append("</style></head><body><h1>Received TLS-RPT reports</h1><p>UTC days ")
                .append(summary.from())
                .append(" to ")
                .append(summary.until().minusDays(1))
                .append(", as of ")
                .append(summary.generatedAt())
                .append("</p>");
        if (summary.domains().isEmpty()) {
            h.append("<p class=\"empty\">No reports in this window.</p>");
        }
        summary.domains().stream().limit(MAX_DOMAINS).forEach(domain -> domain(h, domain, summary));
        if (summary.domains().size() > MAX_DOMAINS) {
            h.append("<p class=\"more\">")
                    .append(summary.domains().size() - MAX_DOMAINS)
                    .append(" more domains; ask for one with ?domain=</p>");
        }
        return h.append("</body></html>").toString();
    }

    private static void domain(StringBuilder h, DomainSummary d, ReceivedSummary summary) {
        String name = Html.escape(d.domain());
        Verdict v = d.verdict();
        h.append("<section data-domain=\"")
                .append(name)
                .append("\"><h2>")
                .append(name)
                .append("</h2>");
        h.append("<p class=\"verdict ")
                .append(v.ready() ? "ready" : "not-ready")
                .append("\" data-domain=\"")
                .append(name)
                .append("\">")
                .append(v.headline())
                .append("</p><p class=\"evidence\">")
                .append(v.evidence(d.reports()))
                .append("</p>");
        list(h, "blockers", v.blockers());
        list(h, "notes", v.notes());
        h.append(DayChart.legend(d));
        h.append(DayChart.svg(d, summary.windowDays()));
        days(h, d);
        failures(h, d);
        stale(h, d);
        h.append("</section>");
    }

    private static void list(StringBuilder h, String kind, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        h.append("<ul class=\"").append(kind).append("\">");
        items.forEach(item -> h.append("<li>").append(Html.escape(item)).append("</li>"));
        h.append("</ul>");
    }

    private static void days(StringBuilder h, DomainSummary d) {
        h.append("<table class=\"days\"><tr><th>UTC day</th><th>Organisation</th><th>Successful</th>")
                .append("<th>Failed</th><th>Failures by type</th></tr>");
        for (DayRow row : d.days()) {
            String day = row.day().toString();
            String org = Html.escape(row.organisation());
            h.append("<tr><td>").append(day).append("</td><td>").append(org).append("</td>");
            cell(h, day, org, "success", row.successful());
            cell(h, day, org, "failure", row.failed());
            h.append("<td>");
            row.failuresByType()
                    .forEach((type, count) -> h.append(Html.escape(type))
                            .append("=")
                            .append(count)
                            .append(" "));
            h.append("</td></tr>");
        }
        h.append("</table>");
    }

    private static void cell(StringBuilder h, String day, String org, String kind, long count) {
        h.append("<td class=\"n\" data-day=\"")
                .append(day)
                .append("\" data-org=\"")
                .append(org)
                .append("\" data-kind=\"")
                .append(kind)
                .append("\">")
                .append(count)
                .append("</td>");
    }

    private static void failures(StringBuilder h, DomainSummary d) {
        if (d.failures().isEmpty()) {
            return;
        }
        h.append("<h3>Failures</h3><table class=\"failures\"><tr><th>UTC day</th><th>Organisation</th>")
                .append("<th>Policy</th><th>Result type</th><th>MX host</th><th>IP</th><th>Reasons</th>")
                .append("<th>Sessions</th><th>Blocks enforce</th></tr>");
        for (FailureRow f : d.failures()) {
            h.append("<tr data-result-type=\"")
                    .append(Html.escape(f.resultType()))
                    .append("\">");
            for (String text : List.of(
                    f.day().toString(),
                    f.organisation(),
                    f.policyType(),
                    f.resultType(),
                    f.mxHost(),
                    f.ip(),
                    f.reasons())) {
                h.append("<td>").append(Html.escape(text)).append("</td>");
            }
            h.append("<td class=\"n\">")
                    .append(f.count())
                    .append("</td><td>")
                    .append(VerdictRules.blocks(f) ? "yes" : "no")
                    .append("</td></tr>");
        }
        h.append("</table>");
    }

    private static void stale(StringBuilder h, DomainSummary d) {
        if (d.stale().isEmpty()) {
            return;
        }
        h.append("<h3>Senders applying an older policy</h3><ul class=\"stale\">");
        for (StaleSender s : d.stale()) {
            h.append("<li data-org=\"")
                    .append(Html.escape(s.organisation()))
                    .append("\">")
                    .append(Html.escape(s.organisation() + " on " + s.day() + ": " + s.difference()))
                    .append("</li>");
        }
        h.append("</ul>");
    }
}
