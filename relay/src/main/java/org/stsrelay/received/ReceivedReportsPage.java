package org.stsrelay.received;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stsrelay.metrics.ReportsPage;
import org.stsrelay.policy.DomainNames;

/**
 * The {@code /reports} page: the summary and verdicts of {@code received summary}, as HTML. Query: {@code domain=D}
 * (one domain) and {@code days=N} (1 to {@value SummaryBuilder#MAX_DAYS}; default {@code received.ready-days}).
 */
public final class ReceivedReportsPage implements ReportsPage {

    private final ReceivedStore store;
    private final SummaryBuilder summaries;
    private final int defaultDays;

    /**
     * @param store       where the reports are
     * @param summaries   sums them up
     * @param defaultDays the window without {@code days=}
     */
    public ReceivedReportsPage(ReceivedStore store, SummaryBuilder summaries, int defaultDays) {
        this.store = store;
        this.summaries = summaries;
        this.defaultDays = defaultDays;
    }

    @Override
    public Response render(Map<String, List<String>> query) {
        Optional<String> domain = Optional.empty();
        List<String> domains = query.getOrDefault("domain", List.of());
        if (domains.size() > 1) {
            return problem(400, "give domain= once");
        }
        if (domains.size() == 1) {
            domain = DomainNames.normalize(domains.get(0));
            if (domain.isEmpty()) {
                return problem(400, "domain= is not a domain name: " + domains.get(0));
            }
        }
        int days = defaultDays;
        List<String> dayValues = query.getOrDefault("days", List.of());
        if (dayValues.size() > 1) {
            return problem(400, "give days= once");
        }
        if (dayValues.size() == 1) {
            days = days(dayValues.get(0));
            if (days < 1) {
                return problem(400, "days= must be a whole number from 1 to " + SummaryBuilder.MAX_DAYS);
            }
        }
        try {
            return new Response(200, SummaryHtml.render(summaries.read(store, domain, days)));
        } catch (IOException e) {
            return problem(503, "the received reports cannot be read: " + e.getMessage());
        }
    }

    private static int days(String text) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int days = Integer.parseInt(text);
        return days <= SummaryBuilder.MAX_DAYS ? days : -1;
    }

    private static Response problem(int status, String message) {
        return new Response(
                status,
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>TLS-RPT reports</title>"
                        + "</head><body><p class=\"problem\">" + Html.escape(message) + "</p></body></html>");
    }
}
