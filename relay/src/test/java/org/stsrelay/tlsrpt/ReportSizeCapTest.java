package org.stsrelay.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stsrelay.config.ConfigLoader;
import org.stsrelay.delivery.TlsResultType;

class ReportSizeCapTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 21);

    private static DomainResults manyFailures(int details) {
        Random random = new Random(7);
        List<FailureDetail> failures = new ArrayList<>();
        for (int i = 0; i < details; i++) {
            // Distinct, poorly compressible details, as a large receiving fleet would produce.
            failures.add(new FailureDetail(
                    TlsResultType.CERTIFICATE_EXPIRED,
                    Optional.of("192.0.2.1"),
                    Optional.of("mx" + i + ".example.com"),
                    Optional.empty(),
                    Optional.of("198.51." + random.nextInt(256) + "." + random.nextInt(256)),
                    Optional.of("expired " + Long.toHexString(random.nextLong())),
                    1));
        }
        ReportedPolicy policy = new ReportedPolicy(
                ReportedPolicy.PolicyType.STS,
                List.of("version: STSv1", "mode: enforce", "mx: *.example.com", "max_age: 86400"),
                List.of("*.example.com"));
        return new DomainResults("example.com", DAY, List.of(new PolicyResults(policy, 5, details, failures)));
    }

    @Test
    void rfc8460_5_2_anOversizedReportLosesFailureDetailsButKeepsItsCounts() throws Exception {
        TlsReportJson json = new TlsReportJson(
                new ConfigLoader().load("hostname: relay.example.net\n", "r").tlsrpt());
        DomainResults results = manyFailures(3000);
        assertThat(ReportGzip.gzip(json.build(results).json()).length).isGreaterThan(20_000);

        TlsReport fitted = ReportSizeCap.fit(json, results, 20_000);

        assertThat(ReportGzip.gzip(fitted.json()).length).isLessThanOrEqualTo(20_000);
        JsonNode policy =
                new ObjectMapper().readTree(fitted.json()).get("policies").get(0);
        assertThat(policy.get("summary").get("total-failure-session-count").asLong())
                .isEqualTo(3000);
        assertThat(policy.get("summary").get("total-successful-session-count").asLong())
                .isEqualTo(5);
        assertThat(policy.get("failure-details").size()).isBetween(1, 2999);
        assertThat(fitted.reportId()).isEqualTo(json.build(results).reportId());
    }

    @Test
    void aReportThatFitsIsLeftAlone() throws Exception {
        TlsReportJson json = new TlsReportJson(new ConfigLoader().load("", "r").tlsrpt());
        DomainResults results = manyFailures(3);
        assertThat(ReportSizeCap.fit(json, results, 10_000_000).json())
                .isEqualTo(json.build(results).json());
    }
}
