package org.stsrelay.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.stsrelay.delivery.TlsResultType;

class TlsReportJsonTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final TlsReportJson builder =
            new TlsReportJson("Company-X", "sts-reporting@company-x.example", "company-x.example");

    private static FailureDetail detail(
            TlsResultType type, String sending, String mx, String ip, String reason, long n) {
        return new FailureDetail(
                type,
                Optional.ofNullable(sending),
                Optional.ofNullable(mx),
                Optional.empty(),
                Optional.ofNullable(ip),
                Optional.ofNullable(reason),
                n);
    }

    private static DomainResults appendixBInput() {
        ReportedPolicy policy = new ReportedPolicy(
                ReportedPolicy.PolicyType.STS,
                List.of("version: STSv1", "mode: testing", "mx: *.mail.company-y.example", "max_age: 86400"),
                List.of("*.mail.company-y.example"));
        return new DomainResults(
                "company-y.example",
                LocalDate.parse("2016-04-01"),
                List.of(
                        new PolicyResults(
                                policy,
                                5326,
                                303,
                                List.of(
                                        detail(
                                                TlsResultType.CERTIFICATE_EXPIRED,
                                                "2001:db8:abcd:0012::1",
                                                "mx1.mail.company-y.example",
                                                null,
                                                null,
                                                100),
                                        detail(
                                                TlsResultType.STARTTLS_NOT_SUPPORTED,
                                                "2001:db8:abcd:0013::1",
                                                "mx2.mail.company-y.example",
                                                "203.0.113.56",
                                                null,
                                                200),
                                        detail(
                                                TlsResultType.VALIDATION_FAILURE,
                                                "198.51.100.62",
                                                "mx-backup.mail.company-y.example",
                                                "203.0.113.58",
                                                "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED",
                                                3))),
                        new PolicyResults(
                                ReportedPolicy.noPolicyFound(),
                                7,
                                1,
                                List.of(detail(
                                        TlsResultType.STS_POLICY_FETCH_ERROR, null, null, null, "HTTP 404", 1)))));
    }

    private JsonNode built(DomainResults results) throws IOException {
        return mapper.readTree(builder.build(results).json());
    }

    @Test
    @DisplayName("RFC 8460 Appendix B: our report equals the RFC's example field for field")
    void matchesTheRfcExample() throws IOException {
        // RFC 8460 Appendix B, verbatim but for the line-wrapped additional-information URI.
        JsonNode rfc = mapper.readTree(TlsReportJsonTest.class.getResource("/org/stsrelay/rfc8460-appendix-b.json"));
        ObjectNode ours = (ObjectNode) built(appendixBInput());
        ((ArrayNode) ours.get("policies")).remove(1);

        // Differences the RFC allows or its errata demand: the report-id scheme is ours (README, Decisions),
        // mx-host is an array (erratum 6241), additional-information is optional and we have none.
        ObjectNode expected = (ObjectNode) rfc.deepCopy();
        expected.put("report-id", "20160401.company-y.example@company-x.example");
        ObjectNode policy = (ObjectNode) expected.get("policies").get(0).get("policy");
        policy.putArray("mx-host")
                .add(rfc.get("policies").get(0).get("policy").get("mx-host").asText());
        ((ObjectNode) expected.get("policies").get(0).get("failure-details").get(1)).remove("additional-information");

        assertThat(ours).isEqualTo(expected);
    }

    @Test
    @DisplayName("RFC 8460 §4.4 schema: every required field present with its JSON type; no null, no empty string")
    void schema() throws IOException {
        JsonNode r = built(appendixBInput());

        assertThat(r.get("organization-name").isTextual()).isTrue();
        assertThat(r.get("contact-info").isTextual()).isTrue();
        assertThat(r.get("report-id").isTextual()).isTrue();
        assertThat(r.get("date-range").get("start-datetime").asText()).matches("\\d{4}-\\d{2}-\\d{2}T00:00:00Z");
        assertThat(r.get("date-range").get("end-datetime").asText()).matches("\\d{4}-\\d{2}-\\d{2}T23:59:59Z");
        assertThat(r.get("policies").isArray()).isTrue();
        for (JsonNode p : r.get("policies")) {
            JsonNode policy = p.get("policy");
            assertThat(policy.get("policy-type").asText()).isIn("sts", "no-policy-found");
            assertThat(policy.get("policy-string").isArray()).isTrue();
            assertThat(policy.get("mx-host").isArray()).isTrue();
            assertThat(policy.get("policy-domain").isTextual()).isTrue();
            assertThat(p.get("summary").get("total-successful-session-count").isIntegralNumber())
                    .isTrue();
            assertThat(p.get("summary").get("total-failure-session-count").isIntegralNumber())
                    .isTrue();
            assertThat(p.get("failure-details").isArray()).isTrue();
            for (JsonNode d : p.get("failure-details")) {
                assertThat(d.get("result-type").isTextual()).isTrue();
                assertThat(d.get("failed-session-count").isIntegralNumber()).isTrue();
            }
        }
        assertNoNullOrEmptyString(r);
    }

    @Test
    @DisplayName("RFC 8460 §4.4: no-policy-found has the policy-domain and empty arrays; a fetch error has no MX or IP")
    void noPolicyFoundAndFetchError() throws IOException {
        JsonNode p = built(appendixBInput()).get("policies").get(1);

        assertThat(p.get("policy").get("policy-type").asText()).isEqualTo("no-policy-found");
        assertThat(p.get("policy").get("policy-domain").asText()).isEqualTo("company-y.example");
        assertThat(p.get("policy").get("policy-string")).isEmpty();
        assertThat(p.get("policy").get("mx-host")).isEmpty();
        JsonNode d = p.get("failure-details").get(0);
        assertThat(d.has("receiving-mx-hostname")).isFalse();
        assertThat(d.has("receiving-ip")).isFalse();
        assertThat(d.has("sending-mta-ip")).isFalse();
        assertThat(d.get("failure-reason-code").asText()).isEqualTo("HTTP 404");
    }

    @Test
    @DisplayName("RFC 8460 §4.4: a tlsa policy has the TLSA records as policy-string and the MX host as policy-domain")
    void tlsaPolicy() throws IOException {
        ReportedPolicy tlsa =
                new ReportedPolicy(ReportedPolicy.PolicyType.TLSA, List.of("3 1 1 " + "ab".repeat(32)), List.of());
        DomainResults results = new DomainResults(
                "mx1.company-y.example",
                LocalDate.parse("2016-04-01"),
                List.of(new PolicyResults(
                        tlsa,
                        20,
                        1,
                        List.of(detail(
                                TlsResultType.TLSA_INVALID,
                                "198.51.100.62",
                                "mx1.company-y.example",
                                "203.0.113.56",
                                "does not match",
                                1)))));

        JsonNode p = built(results).get("policies").get(0);

        assertThat(p.get("policy").get("policy-type").asText()).isEqualTo("tlsa");
        assertThat(p.get("policy").get("policy-domain").asText()).isEqualTo("mx1.company-y.example");
        assertThat(p.get("policy").get("policy-string"))
                .extracting(JsonNode::asText)
                .containsExactly("3 1 1 " + "ab".repeat(32));
        assertThat(p.get("summary").get("total-successful-session-count").asLong())
                .isEqualTo(20);
        assertThat(p.get("failure-details").get(0).get("result-type").asText()).isEqualTo("tlsa-invalid");
    }

    @Test
    @DisplayName("RFC 8460 §4.4 report-id: <YYYYMMDD>.<policy-domain>@<submitter>, stable")
    void reportId() {
        TlsReport report = builder.build(appendixBInput());

        assertThat(report.reportId())
                .isEqualTo("20160401.company-y.example@company-x.example")
                .isEqualTo(builder.build(appendixBInput()).reportId());
        assertThat(report.day()).isEqualTo(LocalDate.parse("2016-04-01"));
        assertThat(report.policyDomain()).isEqualTo("company-y.example");
    }

    /** The shape Google sends (RFC 8460 §4.4): day-aligned, mx-host an array, numbers as numbers. */
    private static final String GOOGLE_STYLE = """
            {"organization-name":"Google Inc.",
             "date-range":{"start-datetime":"2024-11-08T00:00:00Z","end-datetime":"2024-11-08T23:59:59Z"},
             "contact-info":"smtp-tls-reporting@google.com",
             "report-id":"2024-11-08T00:00:00Z_example.com",
             "policies":[{"policy":{"policy-type":"sts",
                 "policy-string":["version: STSv1","mode: enforce","mx: mx1.example.com","max_age: 604800"],
                 "policy-domain":"example.com","mx-host":["mx1.example.com"]},
               "summary":{"total-successful-session-count":1234,"total-failure-session-count":2},
               "failure-details":[{"result-type":"certificate-expired","sending-mta-ip":"209.85.220.41",
                 "receiving-mx-hostname":"mx1.example.com","receiving-ip":"192.0.2.25","failed-session-count":2}]}]}
            """;

    /** The shape Microsoft sends for a policy fetch error: no MX, IP or policy-string fields at all. */
    private static final String MICROSOFT_STYLE_FETCH_ERROR = """
            {"organization-name":"Microsoft Corporation",
             "date-range":{"start-datetime":"2024-11-08T00:00:00Z","end-datetime":"2024-11-08T23:59:59Z"},
             "contact-info":"tlsrpt-noreply@microsoft.com",
             "report-id":"133755840000000000+example.org",
             "policies":[{"policy":{"policy-type":"no-policy-found","policy-domain":"example.org"},
               "summary":{"total-successful-session-count":10,"total-failure-session-count":1},
               "failure-details":[{"result-type":"sts-policy-fetch-error","failed-session-count":1}]}]}
            """;

    @Test
    @DisplayName(
            "RFC 8460 §4.4: our report for Google-style input equals Google's report but for identity and report-id")
    void matchesAGoogleStyleReport() throws IOException {
        TlsReportJson google = new TlsReportJson("Google Inc.", "smtp-tls-reporting@google.com", "google.com");
        ReportedPolicy policy = new ReportedPolicy(
                ReportedPolicy.PolicyType.STS,
                List.of("version: STSv1", "mode: enforce", "mx: mx1.example.com", "max_age: 604800"),
                List.of("mx1.example.com"));
        DomainResults input = new DomainResults(
                "example.com",
                LocalDate.parse("2024-11-08"),
                List.of(new PolicyResults(
                        policy,
                        1234,
                        2,
                        List.of(detail(
                                TlsResultType.CERTIFICATE_EXPIRED,
                                "209.85.220.41",
                                "mx1.example.com",
                                "192.0.2.25",
                                null,
                                2)))));
        ObjectNode ours = (ObjectNode) mapper.readTree(google.build(input).json());
        ObjectNode theirs = (ObjectNode) mapper.readTree(GOOGLE_STYLE);
        theirs.put("report-id", ours.get("report-id").asText());
        assertThat(ours).isEqualTo(theirs);
    }

    @Test
    @DisplayName(
            "RFC 8460 §4.4: a Microsoft-style fetch-error report carries no more than ours; ours adds only the empty arrays")
    void coversAMicrosoftStyleFetchErrorReport() throws IOException {
        TlsReportJson microsoft =
                new TlsReportJson("Microsoft Corporation", "tlsrpt-noreply@microsoft.com", "microsoft.com");
        DomainResults input = new DomainResults(
                "example.org",
                LocalDate.parse("2024-11-08"),
                List.of(new PolicyResults(
                        ReportedPolicy.noPolicyFound(),
                        10,
                        1,
                        List.of(detail(TlsResultType.STS_POLICY_FETCH_ERROR, null, null, null, null, 1)))));
        ObjectNode ours = (ObjectNode) mapper.readTree(microsoft.build(input).json());
        ObjectNode theirs = (ObjectNode) mapper.readTree(MICROSOFT_STYLE_FETCH_ERROR);
        theirs.put("report-id", ours.get("report-id").asText());
        // RFC 8460 §4.4: no-policy-found keeps policy-string and mx-host as empty arrays, never absent or null.
        ObjectNode theirPolicy = (ObjectNode) theirs.get("policies").get(0).get("policy");
        theirPolicy.putArray("policy-string");
        theirPolicy.putArray("mx-host");
        assertThat(ours).isEqualTo(theirs);
    }

    private static void assertNoNullOrEmptyString(JsonNode node) {
        assertThat(node.isNull()).isFalse();
        if (node.isTextual()) {
            assertThat(node.asText()).isNotEmpty();
        }
        node.forEach(TlsReportJsonTest::assertNoNullOrEmptyString);
    }
}
