package org.stsrelay.received;

import java.time.LocalDate;

/**
 * Failed sessions of one kind at one receiving MX, as one organisation reported them for one day (RFC 8460 §4.4
 * {@code failure-details}).
 *
 * @param day          the UTC day
 * @param organisation the reporting organisation
 * @param policyType   the policy the sender applied: {@code sts}, {@code tlsa} or {@code no-policy-found}
 * @param resultType   the result type (RFC 8460 §4.3)
 * @param mxHost       the receiving MX host name, or empty if not reported
 * @param ip           the receiving IP address, or empty if not reported
 * @param reasons      the {@code failure-reason-code} and {@code additional-information}, joined; empty if none
 * @param count        failed sessions
 */
public record FailureRow(
        LocalDate day,
        String organisation,
        String policyType,
        String resultType,
        String mxHost,
        String ip,
        String reasons,
        long count) {}
