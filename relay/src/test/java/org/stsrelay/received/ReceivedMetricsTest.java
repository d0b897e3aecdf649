package org.stsrelay.received;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stsrelay.received.TestReports.TESTING;
import static org.stsrelay.received.TestReports.failure;
import static org.stsrelay.received.TestReports.report;
import static org.stsrelay.received.TestReports.sts;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceivedMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double gauge(String name, String... tags) {
        Gauge gauge = registry.find(name).tags(tags).gauge();
        assertThat(gauge).as(name + " " + String.join(",", tags)).isNotNull();
        return gauge.value();
    }

    private ReceivedMetrics metrics(int named) {
        MemoryReceivedStore store = new MemoryReceivedStore(List.of(
                report("Google Inc.", "2026-03-08", sts(TESTING, 5)),
                report(
                        "Google Inc.",
                        "2026-03-09",
                        sts(TESTING, 100, failure("certificate-expired", "mx1.example.com", "192.0.2.1", 3, "x"))),
                report("Microsoft Corporation", "2026-03-09", sts(TESTING, 50)),
                report(
                        "Yahoo",
                        "2026-03-09",
                        sts(TESTING, 10, failure("certificate-expired", "mx1.example.com", "192.0.2.1", 1, "y"))),
                // Today's reports are not complete yet: not in the gauges of the last full day.
                report("Yahoo", "2026-03-10", sts(TESTING, 1000))));
        return new ReceivedMetrics(store, TestReports.builder(TestReports.published(TESTING)), 3, named, registry);
    }

    @Test
    void theTopOrganisationsKeepTheirNameTheRestAreOther() throws Exception {
        metrics(1).refresh();
        assertThat(gauge(
                        "sts.relay.received.sessions",
                        "domain",
                        "example.com",
                        "organization",
                        "Google Inc.",
                        "result",
                        "success"))
                .isEqualTo(100);
        assertThat(gauge(
                        "sts.relay.received.sessions",
                        "domain",
                        "example.com",
                        "organization",
                        "other",
                        "result",
                        "success"))
                .isEqualTo(60);
        assertThat(gauge(
                        "sts.relay.received.sessions",
                        "domain",
                        "example.com",
                        "organization",
                        "other",
                        "result",
                        "failure"))
                .isEqualTo(1);
        assertThat(gauge(
                        "sts.relay.received.failures",
                        "domain",
                        "example.com",
                        "organization",
                        "Google Inc.",
                        "result_type",
                        "certificate-expired"))
                .isEqualTo(3);
        assertThat(registry.find("sts.relay.received.sessions")
                        .tag("organization", "Microsoft Corporation")
                        .gauges())
                .isEmpty();
    }

    @Test
    void reportsAndReadiness() throws Exception {
        metrics(10).refresh();
        assertThat(gauge("sts.relay.received.reports", "domain", "example.com")).isEqualTo(5);
        // The certificate-expired failures block enforce.
        assertThat(gauge("sts.relay.received.ready", "domain", "example.com")).isZero();
        assertThat(gauge(
                        "sts.relay.received.sessions",
                        "domain",
                        "example.com",
                        "organization",
                        "Yahoo",
                        "result",
                        "success"))
                .isEqualTo(10);
    }
}
