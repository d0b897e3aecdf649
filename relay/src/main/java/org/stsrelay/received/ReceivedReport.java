package org.stsrelay.received;

import java.time.Instant;
import java.util.List;

/**
 * One received RFC 8460 report as parsed (§4.4), after the quirks of its sender were tolerated.
 *
 * @param organizationName the reporting organisation
 * @param start            start of the reporting period ({@code date-range.start-datetime})
 * @param end              end of the reporting period ({@code date-range.end-datetime})
 * @param contactInfo      how to reach the reporting organisation
 * @param reportId         the report's unique identifier as its submitter gave it
 * @param policies         one entry per policy applied
 */
public record ReceivedReport(
        String organizationName,
        Instant start,
        Instant end,
        String contactInfo,
        String reportId,
        List<ReportedPolicy> policies) {

    public ReceivedReport {
        policies = List.copyOf(policies);
    }
}
