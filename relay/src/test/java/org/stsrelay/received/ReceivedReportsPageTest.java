package org.stsrelay.received;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stsrelay.received.TestReports.TESTING;
import static org.stsrelay.received.TestReports.report;
import static org.stsrelay.received.TestReports.sts;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.stsrelay.metrics.ReportsPage;

class ReceivedReportsPageTest {

    private static final String HOSTILE = "<script>alert('x')</script> & Co";

    private final ReceivedReportsPage page =
            new ReceivedReportsPage(SummaryBuilderTest.store(), TestReports.builder(TestReports.published(TESTING)), 3);

    private static int count(String html, String regex) {
        Matcher m = Pattern.compile(regex).matcher(html);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void theNumbersAreInTheDataCells() {
        ReportsPage.Response response = page.render(Map.of("domain", List.of("example.com")));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.html())
                .contains(
                        "<td class=\"n\" data-day=\"2026-03-09\" data-org=\"Google Inc.\" data-kind=\"success\">120</td>")
                .contains(
                        "<td class=\"n\" data-day=\"2026-03-09\" data-org=\"Google Inc.\" data-kind=\"failure\">3</td>")
                .contains("<td class=\"n\" data-day=\"2026-03-09\" data-org=\"Microsoft Corporation\""
                        + " data-kind=\"failure\">3</td>")
                .contains("<p class=\"verdict not-ready\" data-domain=\"example.com\">not ready for enforce</p>")
                .contains("mx1.example.com", "192.0.2.1", "cert expired");
    }

    @Test
    void theChartHasOneBarGroupPerDayOfTheWindow() {
        String html = page.render(Map.of("domain", List.of("example.com"))).html();
        assertThat(count(html, "<g class=\"day\" data-day=\"")).isEqualTo(3);
        assertThat(html)
                .contains("<g class=\"day\" data-day=\"2026-03-08\">", "<g class=\"day\" data-day=\"2026-03-10\">")
                .contains("data-day=\"2026-03-09\" data-org=\"Google Inc.\" data-kind=\"success\" data-count=\"120\"")
                .doesNotContain("<script", "javascript:");
        // Two organisations, two bars each, on every day.
        assertThat(count(html, "<rect ")).isEqualTo(3 * 2 * 2);
    }

    @Test
    void aHostileOrganisationNameIsEscapedEverywhere() {
        ReceivedReportsPage hostile = new ReceivedReportsPage(
                new MemoryReceivedStore(List.of(report(HOSTILE, "2026-03-10", sts(TESTING, 1)))),
                TestReports.builder(TestReports.published(TESTING)),
                2);
        String html = hostile.render(Map.of()).html();
        assertThat(html).doesNotContain("<script").doesNotContain("alert('x')");
        assertThat(html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co");
        assertThat(html).contains("data-org=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co\"");
    }

    @Test
    void badQueriesAreRefusedWithAnEscapedReason() {
        assertThat(page.render(Map.of("days", List.of("401"))).status()).isEqualTo(400);
        assertThat(page.render(Map.of("days", List.of("0"))).status()).isEqualTo(400);
        assertThat(page.render(Map.of("days", List.of("-1"))).status()).isEqualTo(400);
        ReportsPage.Response bad = page.render(Map.of("domain", List.of("<b>x")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.html()).contains("&lt;b&gt;x").doesNotContain("<b>");
    }

    @Test
    void daysSetsTheWindow() {
        String html = page.render(Map.of("domain", List.of("example.com"), "days", List.of("7")))
                .html();
        assertThat(count(html, "<g class=\"day\" data-day=\"")).isEqualTo(7);
        assertThat(html).contains("<g class=\"day\" data-day=\"2026-03-04\">");
    }
}
