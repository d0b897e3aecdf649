package org.stsrelay.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.delivery.TlsResult;
import org.stsrelay.delivery.TlsResultType;

class DailyAggregatorTest {

    private static final LocalDate DAY = LocalDate.parse("2024-03-10");

    @TempDir
    Path dir;

    private List<DomainResults> aggregate(TlsResult... results) throws IOException {
        Clock clock = Clock.fixed(Instant.parse("2024-03-11T01:00:00Z"), ZoneOffset.UTC);
        try (TlsResultJournal journal = TlsResultJournal.open(dir, new SimpleMeterRegistry(), clock)) {
            for (TlsResult r : results) {
                journal.record(r);
            }
        }
        return new DailyAggregator(dir).aggregate(DAY);
    }

    @Test
    @DisplayName("RFC 8460 §4.4: failures grouped by result type, IPs, MX, HELO and reason, with counts")
    void failuresAreGroupedWithCounts() throws IOException {
        String d = "company-y.example";
        List<DomainResults> days = aggregate(
                Results.success("2024-03-10T01:00:00Z", d),
                Results.success("2024-03-10T02:00:00Z", d),
                Results.failure(
                        "2024-03-10T03:00:00Z",
                        d,
                        TlsResultType.CERTIFICATE_EXPIRED,
                        "mx1.example",
                        "203.0.113.1",
                        "expired"),
                Results.failure(
                        "2024-03-10T04:00:00Z",
                        d,
                        TlsResultType.CERTIFICATE_EXPIRED,
                        "mx1.example",
                        "203.0.113.1",
                        "expired"),
                Results.failure(
                        "2024-03-10T05:00:00Z",
                        d,
                        TlsResultType.CERTIFICATE_EXPIRED,
                        "mx2.example",
                        "203.0.113.2",
                        "expired"),
                Results.failure(
                        "2024-03-10T06:00:00Z",
                        d,
                        TlsResultType.STARTTLS_NOT_SUPPORTED,
                        "mx1.example",
                        "203.0.113.1",
                        "no STARTTLS"));

        assertThat(days).hasSize(1);
        PolicyResults p = days.get(0).policies().get(0);
        assertThat(p.successes()).isEqualTo(2);
        assertThat(p.failures()).isEqualTo(4);
        assertThat(p.failureDetails())
                .containsExactly(
                        new FailureDetail(
                                TlsResultType.CERTIFICATE_EXPIRED,
                                Optional.of("198.51.100.62"),
                                Optional.of("mx1.example"),
                                Optional.empty(),
                                Optional.of("203.0.113.1"),
                                Optional.of("expired"),
                                2),
                        new FailureDetail(
                                TlsResultType.CERTIFICATE_EXPIRED,
                                Optional.of("198.51.100.62"),
                                Optional.of("mx2.example"),
                                Optional.empty(),
                                Optional.of("203.0.113.2"),
                                Optional.of("expired"),
                                1),
                        new FailureDetail(
                                TlsResultType.STARTTLS_NOT_SUPPORTED,
                                Optional.of("198.51.100.62"),
                                Optional.of("mx1.example"),
                                Optional.empty(),
                                Optional.of("203.0.113.1"),
                                Optional.of("no STARTTLS"),
                                1));
    }

    @Test
    @DisplayName("RFC 8460 §4: each policy domain and each applied policy is aggregated on its own")
    void domainsAndPoliciesAreSeparate() throws IOException {
        List<DomainResults> days = aggregate(
                Results.success("2024-03-10T01:00:00Z", "b.example"),
                Results.fetchError("2024-03-10T02:00:00Z", "b.example"),
                Results.noPolicy("2024-03-10T03:00:00Z", "a.example"));

        assertThat(days).extracting(DomainResults::policyDomain).containsExactly("a.example", "b.example");
        assertThat(days.get(0).policies())
                .singleElement()
                .satisfies(p -> assertThat(p.policy()).isEqualTo(ReportedPolicy.noPolicyFound()))
                .satisfies(p -> assertThat(p.successes()).isEqualTo(1));
        assertThat(days.get(1).policies())
                .extracting(p -> p.policy().type())
                .containsExactly(ReportedPolicy.PolicyType.STS, ReportedPolicy.PolicyType.NO_POLICY_FOUND);
        assertThat(days.get(1).successes()).isEqualTo(1);
        assertThat(days.get(1).failures()).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8460 §4.1: the report day runs 00:00:00.000 to 23:59:59.999 UTC")
    void dayBoundaryIsExact() throws IOException {
        String d = "company-y.example";
        List<DomainResults> days = aggregate(
                Results.success("2024-03-09T23:59:59.999Z", d),
                Results.success("2024-03-10T00:00:00Z", d),
                Results.success("2024-03-10T23:59:59.999Z", d),
                Results.success("2024-03-11T00:00:00Z", d));

        assertThat(days.get(0).successes()).isEqualTo(2);
    }

    @Test
    void aDayWithoutResultsHasNoDomains() throws IOException {
        assertThat(new DailyAggregator(dir).aggregate(DAY)).isEmpty();
    }
}
