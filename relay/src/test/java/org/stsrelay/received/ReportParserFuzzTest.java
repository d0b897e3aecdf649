package org.stsrelay.received;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

class ReportParserFuzzTest {

    private final ReportParser parser = new ReportParser();

    /** RFC 8460 §4.4: the parser never throws; what it accepts has the required fields, with counts not negative. */
    @FuzzTest(maxDuration = "10s")
    void parserNeverThrowsAndAcceptsOnlyMeaningfulReports(FuzzedDataProvider data) {
        ParsedReport result = parser.parse(data.consumeRemainingAsBytes());
        if (result instanceof ParsedReport.Parsed parsed) {
            ReceivedReport report = parsed.report();
            assertThat(report.reportId()).isNotBlank();
            assertThat(report.organizationName()).isNotBlank();
            assertThat(report.end()).isAfterOrEqualTo(report.start());
            assertThat(report.policies()).isNotEmpty();
            for (ReportedPolicy policy : report.policies()) {
                assertThat(policy.policyDomain()).isNotBlank();
                assertThat(policy.totalSuccessful()).isNotNegative();
                assertThat(policy.totalFailure()).isNotNegative();
                policy.failures()
                        .forEach(f -> assertThat(f.failedSessionCount()).isNotNegative());
            }
            assertThat(parsed.notes()).hasSizeLessThanOrEqualTo(LenientFields.MAX_NOTES + 1);
            // What the store writes for a report without its text reads back as the same report.
            ParsedReport again = parser.parse(Reports.utf8(ReportJsonText.write(report)));
            assertThat(again).isInstanceOf(ParsedReport.Parsed.class);
            assertThat(((ParsedReport.Parsed) again).report()).isEqualTo(report);
        } else {
            assertThat(((ParsedReport.Malformed) result).reason()).isNotBlank();
        }
    }
}
