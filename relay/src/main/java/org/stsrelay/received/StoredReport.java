package org.stsrelay.received;

import java.time.Instant;
import java.util.List;

/**
 * A received report as stored: the report, who submitted it, how and when it arrived, and what was noted on the way.
 * Reports are stored once per {@code (submitter, reportId)} (RFC 8460 §4.4: the report-id is unique per submitter).
 *
 * @param report     the parsed report
 * @param submitter  the submitting domain: the mail's {@code TLS-Report-Submitter} (RFC 8460 §5.3), else the domain of
 *                   {@code contact-info}, else the organisation name, lower case
 * @param origin     how it arrived
 * @param receivedAt when it was stored
 * @param dkim       the DKIM check of a mailed report
 * @param notes      quirks of the sender that were tolerated, and deviations from RFC 8460 §4.4, one line each
 */
public record StoredReport(
        ReceivedReport report,
        String submitter,
        Origin origin,
        Instant receivedAt,
        DkimCheck dkim,
        List<String> notes) {

    public StoredReport {
        notes = List.copyOf(notes);
    }
}
