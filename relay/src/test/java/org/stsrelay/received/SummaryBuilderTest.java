package org.stsrelay.received;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stsrelay.received.TestReports.TESTING;
import static org.stsrelay.received.TestReports.failure;
import static org.stsrelay.received.TestReports.report;
import static org.stsrelay.received.TestReports.sts;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SummaryBuilderTest {

    /** Two organisations, three days (one outside the window), failures at two MX hosts. */
    static MemoryReceivedStore store() {
        return new MemoryReceivedStore(List.of(
                report("Google Inc.", "2026-03-08", sts(TESTING, 100)),
                report(
                        "Google Inc.",
                        "2026-03-09",
                        sts(
                                TESTING,
                                120,
                                failure("certificate-expired", "mx1.example.com", "192.0.2.1", 3, "cert expired"))),
                report(
                        "Microsoft Corporation",
                        "2026-03-09",
                        sts(
                                TESTING,
                                50,
                                failure("starttls-not-supported", "mx2.example.com", "192.0.2.2", 2, "no STARTTLS"),
                                failure("starttls-not-supported", "mx2.example.com", "192.0.2.2", 1, "no STARTTLS")),
                        TestReports.policy("other.example", "no-policy-found", List.of(), 7)),
                report("Microsoft Corporation", "2026-02-01", sts(TESTING, 999))));
    }

    private final ReceivedSummary summary = summarise(Optional.empty(), 3);

    private static ReceivedSummary summarise(Optional<String> domain, int days) {
        try {
            return TestReports.builder(TestReports.published(TESTING)).read(store(), domain, days);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private DomainSummary example() {
        return summary.domains().stream()
                .filter(d -> d.domain().equals("example.com"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    @DisplayName(
            "RFC 8460 §4.4: each policy-domain of a report gets its own summary; days outside the window are left out")
    void domainsAndWindow() {
        assertThat(summary.from()).isEqualTo(LocalDate.parse("2026-03-08"));
        assertThat(summary.until()).isEqualTo(LocalDate.parse("2026-03-11"));
        assertThat(summary.domains()).extracting(DomainSummary::domain).containsExactly("example.com", "other.example");
        assertThat(example().reports()).isEqualTo(3);
    }

    @Test
    @DisplayName("RFC 8460 §4.4 summary: sessions per UTC day and organisation, failures by result type")
    void sessionsPerDayAndOrganisation() {
        assertThat(example().days())
                .containsExactly(
                        new DayRow(LocalDate.parse("2026-03-08"), "Google Inc.", 100, 0, Map.of()),
                        new DayRow(
                                LocalDate.parse("2026-03-09"),
                                "Google Inc.",
                                120,
                                3,
                                Map.of("certificate-expired", 3L)),
                        new DayRow(
                                LocalDate.parse("2026-03-09"),
                                "Microsoft Corporation",
                                50,
                                3,
                                Map.of("starttls-not-supported", 3L)));
    }

    @Test
    @DisplayName("RFC 8460 §4.4 failure-details: MX host, IP and reason added up per organisation and day")
    void failuresAtTwoMxHosts() {
        assertThat(example().failures())
                .containsExactly(
                        new FailureRow(
                                LocalDate.parse("2026-03-09"),
                                "Google Inc.",
                                "sts",
                                "certificate-expired",
                                "mx1.example.com",
                                "192.0.2.1",
                                "cert expired",
                                3),
                        new FailureRow(
                                LocalDate.parse("2026-03-09"),
                                "Microsoft Corporation",
                                "sts",
                                "starttls-not-supported",
                                "mx2.example.com",
                                "192.0.2.2",
                                "no STARTTLS",
                                3));
    }

    @Test
    void aDomainFilterKeepsOnlyThatDomain() {
        ReceivedSummary only = summarise(Optional.of("other.example"), 3);
        assertThat(only.domains()).singleElement().satisfies(d -> {
            assertThat(d.domain()).isEqualTo("other.example");
            assertThat(d.days()).extracting(DayRow::successful).containsExactly(7L);
        });
    }

    @Test
    void aLongerWindowReadsOlderReports() {
        ReceivedSummary long_ = summarise(Optional.of("example.com"), 40);
        assertThat(long_.domains().get(0).days()).extracting(DayRow::day).contains(LocalDate.parse("2026-02-01"));
    }

    @Test
    @DisplayName("RFC 8461 §3.3: a sender still applying an older policy is named with its day and what it applied")
    void staleSenderFound() throws Exception {
        List<String> older = List.of(
                "version: STSv1", "mode: testing", "mx: mx1.example.com", "mx: mx2.example.com", "max_age: 86400");
        MemoryReceivedStore store = new MemoryReceivedStore(List.of(
                report("Google Inc.", "2026-03-09", sts(TESTING, 10)),
                report("Microsoft Corporation", "2026-03-09", sts(older, 10))));
        DomainSummary d = TestReports.builder(TestReports.published(TESTING))
                .read(store, Optional.empty(), 2)
                .domains()
                .get(0);
        assertThat(d.stale()).singleElement().satisfies(s -> {
            assertThat(s.organisation()).isEqualTo("Microsoft Corporation");
            assertThat(s.day()).isEqualTo(LocalDate.parse("2026-03-09"));
            assertThat(s.applied()).contains("max_age: 86400");
            assertThat(s.difference()).isEqualTo("applied max_age: 86400; published max_age: 604800");
        });
        assertThat(d.verdict().notes()).anyMatch(n -> n.contains("older policy"));
    }

    @Test
    @DisplayName("RFC 8460 §4.5: a policy-string sent as one string with line ends compares equal to its lines")
    void oneStringPolicyIsNotStale() throws Exception {
        MemoryReceivedStore store = new MemoryReceivedStore(List.of(report(
                "Google Inc.",
                "2026-03-09",
                sts(
                        List.of("version: STSv1\r\nmode: testing\r\nmx: MX2.example.com\r\nmx: mx1.example.com\r\n"
                                + "max_age: 604800\r\n"),
                        10))));
        DomainSummary d = TestReports.builder(TestReports.published(TESTING))
                .read(store, Optional.empty(), 2)
                .domains()
                .get(0);
        assertThat(d.stale()).isEmpty();
    }
}
