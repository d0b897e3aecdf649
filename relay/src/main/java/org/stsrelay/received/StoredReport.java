package org.stsrelay.received;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

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
 * @param json       the report's JSON text as the sender wrote it, kept so that a later version can read it again
 */
public record StoredReport(
        ReceivedReport report,
        String submitter,
        Origin origin,
        Instant receivedAt,
        DkimCheck dkim,
        List<String> notes,
        String json) {

    public StoredReport {
        notes = List.copyOf(notes);
        Objects.requireNonNull(json, "json");
    }

    /** A stored report whose original text is not at hand: its JSON is the report as RFC 8460 §4.4 writes it. */
    public StoredReport(
            ReceivedReport report,
            String submitter,
            Origin origin,
            Instant receivedAt,
            DkimCheck dkim,
            List<String> notes) {
        this(report, submitter, origin, receivedAt, dkim, notes, ReportJsonText.write(report));
    }
}
