package org.stsrelay.tlsrpt;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One day's report for one policy domain, as the mail and HTTPS senders need it.
 *
 * <p>RFC 8460 §5.6: the JSON is authoritative, so every piece of metadata (Subject, filename,
 * headers) is derived from these same fields, never from a second source.
 *
 * @param policyDomain the policy domain the report is about
 * @param day          the UTC day the report covers
 * @param reportId     the report's {@code report-id} ({@code left@right}, without angle brackets)
 * @param json         the report JSON, uncompressed
 */
public record ReportMailInput(String policyDomain, LocalDate day, String reportId, byte[] json) {

    public ReportMailInput {
        Objects.requireNonNull(policyDomain, "policyDomain");
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(reportId, "reportId");
        Objects.requireNonNull(json, "json");
    }
}
