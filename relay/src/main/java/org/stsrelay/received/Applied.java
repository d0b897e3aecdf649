package org.stsrelay.received;

import java.time.LocalDate;

/**
 * One policy a sender applied, as one report states it, with the report's UTC day and organisation: what the summary
 * stages read.
 */
record Applied(LocalDate day, String organisation, ReportedPolicy policy) {

    /** Whether it is an MTA-STS policy (RFC 8460 §4.4 {@code policy-type} {@code sts}). */
    boolean isSts() {
        return policy.policyType().equalsIgnoreCase("sts");
    }
}
