package org.stsrelay.received;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReportParserTest {

    private final ReportParser parser = new ReportParser();

    @Test
    @DisplayName("RFC 8460 Appendix B: the example report parses field for field")
    void appendixBParses() {
        ParsedReport.Parsed parsed = parsed(Reports.APPENDIX_B);
        ReceivedReport report = parsed.report();

        assertThat(report.organizationName()).isEqualTo("Company-X");
        assertThat(report.start()).isEqualTo(Instant.parse("2016-04-01T00:00:00Z"));
        assertThat(report.end()).isEqualTo(Instant.parse("2016-04-01T23:59:59Z"));
        assertThat(report.contactInfo()).isEqualTo("sts-reporting@company-x.example");
        assertThat(report.reportId()).isEqualTo("5065427c-23d3-47ca-b6e0-946ea0e8c4be");
        ReportedPolicy policy = report.policies().get(0);
        assertThat(policy.policyType()).isEqualTo("sts");
        assertThat(policy.policyDomain()).isEqualTo("company-y.example");
        assertThat(policy.policyStrings()).hasSize(4).contains("mode: testing");
        assertThat(policy.mxHosts()).containsExactly("*.mail.company-y.example");
        assertThat(policy.totalSuccessful()).isEqualTo(5326);
        assertThat(policy.totalFailure()).isEqualTo(303);
        assertThat(policy.failures())
                .extracting(ReportedFailure::failedSessionCount)
                .containsExactly(100L, 200L, 3L);
        assertThat(policy.failures().get(1).receivingIp()).contains("203.0.113.56");
        assertThat(policy.failures().get(2).failureReasonCode()).contains("X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED");
        assertThat(policy.failures().get(0).receivingIp()).isEmpty();
        // The RFC's own example writes mx-host as a string where §4.4 has an array.
        assertThat(parsed.notes())
                .containsExactly("policies[0].policy.mx-host is a string, not an array (RFC 8460 §4.4)");
    }

    @Test
    @DisplayName("RFC 8460 §4.4: a Google-style report parses without a note")
    void googleStyleParses() {
        ParsedReport.Parsed parsed = parsed(Reports.GOOGLE_STYLE);

        assertThat(parsed.notes()).isEmpty();
        assertThat(parsed.report().policies().get(0).failures().get(0))
                .isEqualTo(new ReportedFailure(
                        "certificate-expired",
                        Optional.of("209.85.220.41"),
                        Optional.of("mx1.example.com"),
                        Optional.empty(),
                        Optional.of("192.0.2.25"),
                        2,
                        Optional.empty(),
                        Optional.empty()));
    }

    @Test
    @DisplayName("RFC 8460 §4.4: a Microsoft-style report without policy-string and mx-host parses, noting both")
    void microsoftStyleParses() {
        ParsedReport.Parsed parsed = parsed(Reports.MICROSOFT_STYLE);

        ReportedPolicy policy = parsed.report().policies().get(0);
        assertThat(policy.policyType()).isEqualTo("no-policy-found");
        assertThat(policy.policyStrings()).isEmpty();
        assertThat(policy.mxHosts()).isEmpty();
        assertThat(policy.failures().get(0).resultType()).isEqualTo("sts-policy-fetch-error");
        assertThat(parsed.notes())
                .containsExactly(
                        "policies[0].policy.policy-string is missing", "policies[0].policy.mx-host is missing");
    }

    static Stream<Arguments> quirks() {
        return Stream.of(
                Arguments.of(
                        "policy-string as a string",
                        Reports.GOOGLE_STYLE.replace(
                                "[\"version: STSv1\",\"mode: enforce\",\"mx: mx1.example.com\",\"max_age: 604800\"]",
                                "\"version: STSv1\""),
                        "policies[0].policy.policy-string is a string, not an array (RFC 8460 §4.4)"),
                Arguments.of(
                        "a count as a string",
                        Reports.GOOGLE_STYLE.replace(
                                "\"total-successful-session-count\":1234",
                                "\"total-successful-session-count\":\"1234\""),
                        "policies[0].summary.total-successful-session-count is a string, not a number"),
                Arguments.of(
                        "no failure-details",
                        Reports.MICROSOFT_STYLE.replace(
                                ",\n   \"failure-details\":[{\"result-type\":\"sts-policy-fetch-error\","
                                        + "\"failed-session-count\":1}]",
                                ""),
                        "policies[0].failure-details is missing"),
                Arguments.of(
                        "no contact-info",
                        Reports.GOOGLE_STYLE.replace("\"contact-info\":\"smtp-tls-reporting@google.com\",", ""),
                        "contact-info is missing (RFC 8460 §4.4)"),
                Arguments.of(
                        "no organization-name",
                        Reports.GOOGLE_STYLE.replace("\"organization-name\":\"Google Inc.\",", ""),
                        "organization-name is missing (RFC 8460 §4.4); named after contact-info"),
                Arguments.of(
                        "a date-time without a time zone",
                        Reports.GOOGLE_STYLE.replace("\"2024-11-08T00:00:00Z\",\"end", "\"2024-11-08T00:00:00\",\"end"),
                        "date-range.start-datetime has no time zone; taken as UTC"),
                Arguments.of(
                        "an unknown field",
                        Reports.GOOGLE_STYLE.replace("{\"organization-name\"", "{\"x-extra\":1,\"organization-name\""),
                        "\"x-extra\" is not an RFC 8460 field; ignored"),
                Arguments.of(
                        "a report-id as a number",
                        Reports.GOOGLE_STYLE.replace(
                                "\"report-id\":\"2024-11-08T00:00:00Z_example.com\"", "\"report-id\":12345"),
                        "report-id is a number, not a string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quirks")
    @DisplayName("RFC 8460 §4.4: what real senders ship with a clear meaning is tolerated and noted")
    void quirksAreToleratedAndNoted(String quirk, String json, String note) {
        ParsedReport.Parsed parsed = parsed(json);

        assertThat(parsed.notes()).contains(note);
    }

    @Test
    @DisplayName("RFC 8460 §4.4 (RFC 3339 date-time): fractional seconds and numeric offsets are read exactly")
    void dateTimesWithFractionsAndOffsets() {
        String json = Reports.GOOGLE_STYLE
                .replace("\"2024-11-08T00:00:00Z\",\"end", "\"2024-11-08T01:00:00.250+01:00\",\"end")
                .replace("\"2024-11-08T23:59:59Z\"", "\"2024-11-08T23:59:59+00:00\"");

        ParsedReport.Parsed parsed = parsed(json);

        assertThat(parsed.report().start()).isEqualTo(Instant.parse("2024-11-08T00:00:00.250Z"));
        assertThat(parsed.report().end()).isEqualTo(Instant.parse("2024-11-08T23:59:59Z"));
    }

    @Test
    void theReportIdTakenFromANumberIsItsText() {
        ParsedReport.Parsed parsed = parsed(Reports.GOOGLE_STYLE.replace(
                "\"report-id\":\"2024-11-08T00:00:00Z_example.com\"", "\"report-id\":12345"));

        assertThat(parsed.report().reportId()).isEqualTo("12345");
    }

    @Test
    void aMissingOrganizationIsNamedAfterTheContact() {
        ParsedReport.Parsed parsed = parsed(Reports.GOOGLE_STYLE.replace("\"organization-name\":\"Google Inc.\",", ""));

        assertThat(parsed.report().organizationName()).isEqualTo("smtp-tls-reporting@google.com");
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("not JSON", "this is not json", "not JSON"),
                Arguments.of("empty", "", "not JSON: the body is empty"),
                Arguments.of("an array at the top level", "[" + Reports.GOOGLE_STYLE + "]", "is a JSON array"),
                Arguments.of("deeply nested", "[".repeat(10_000) + "]".repeat(10_000), "JSON exceeds a parser limit"),
                Arguments.of(
                        "no report-id",
                        Reports.GOOGLE_STYLE.replace("\"report-id\":\"2024-11-08T00:00:00Z_example.com\",", ""),
                        "report-id is missing (RFC 8460 §4.4)"),
                Arguments.of(
                        "no date-range",
                        Reports.GOOGLE_STYLE.replace(
                                "\"date-range\":{\"start-datetime\":\"2024-11-08T00:00:00Z\","
                                        + "\"end-datetime\":\"2024-11-08T23:59:59Z\"},",
                                ""),
                        "date-range is missing (RFC 8460 §4.4)"),
                Arguments.of(
                        "no policies",
                        "{\"organization-name\":\"X\",\"report-id\":\"1\",\"date-range\":{\"start-datetime\":"
                                + "\"2024-11-08T00:00:00Z\",\"end-datetime\":\"2024-11-08T23:59:59Z\"}}",
                        "policies is missing (RFC 8460 §4.4)"),
                Arguments.of(
                        "empty policies",
                        "{\"organization-name\":\"X\",\"report-id\":\"1\",\"date-range\":{\"start-datetime\":"
                                + "\"2024-11-08T00:00:00Z\",\"end-datetime\":\"2024-11-08T23:59:59Z\"},\"policies\":[]}",
                        "policies is empty"),
                Arguments.of(
                        "a negative count",
                        Reports.GOOGLE_STYLE.replace("\"failed-session-count\":2", "\"failed-session-count\":-2"),
                        "policies[0].failure-details[0].failed-session-count is negative"),
                Arguments.of(
                        "no summary",
                        Reports.GOOGLE_STYLE.replace(
                                "\"summary\":{\"total-successful-session-count\":1234,"
                                        + "\"total-failure-session-count\":2},",
                                ""),
                        "policies[0].summary is missing (RFC 8460 §4.4)"),
                Arguments.of(
                        "no policy-domain",
                        Reports.GOOGLE_STYLE.replace("\"policy-domain\":\"example.com\",", ""),
                        "policies[0].policy.policy-domain is missing (RFC 8460 §4.4)"),
                Arguments.of(
                        "no result-type",
                        Reports.GOOGLE_STYLE.replace("\"result-type\":\"certificate-expired\",", ""),
                        "policies[0].failure-details[0].result-type is missing (RFC 8460 §4.4)"),
                Arguments.of(
                        "a date-time that is not one",
                        Reports.GOOGLE_STYLE.replace("\"2024-11-08T23:59:59Z\"", "\"yesterday\""),
                        "is not an RFC 3339 date-time"),
                Arguments.of(
                        "neither organization nor contact",
                        Reports.GOOGLE_STYLE
                                .replace("\"organization-name\":\"Google Inc.\",", "")
                                .replace("\"contact-info\":\"smtp-tls-reporting@google.com\",", ""),
                        "neither organization-name nor contact-info"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    @DisplayName("RFC 8460 §4.4: what has no clear meaning is refused with the reason")
    void malformedIsRefused(String what, String json, String reason) {
        ParsedReport result = parser.parse(Reports.utf8(json));

        assertThat(result).isInstanceOf(ParsedReport.Malformed.class);
        assertThat(((ParsedReport.Malformed) result).reason()).contains(reason);
    }

    @Test
    void notesAreBounded() {
        StringBuilder extra = new StringBuilder("{");
        for (int i = 0; i < 500; i++) {
            extra.append("\"x").append(i).append("\":1,");
        }
        ParsedReport.Parsed parsed =
                parsed(Reports.GOOGLE_STYLE.replace("{\"organization-name\"", extra + "\"organization-name\""));

        List<String> notes = parsed.notes();
        assertThat(notes).hasSize(LenientFields.MAX_NOTES + 1);
        assertThat(notes.get(LenientFields.MAX_NOTES)).isEqualTo("450 more note(s) left out");
    }

    private ParsedReport.Parsed parsed(String json) {
        ParsedReport result = parser.parse(Reports.utf8(json));
        assertThat(result).isInstanceOf(ParsedReport.Parsed.class);
        return (ParsedReport.Parsed) result;
    }
}
