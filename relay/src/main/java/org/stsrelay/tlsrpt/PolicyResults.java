package org.stsrelay.tlsrpt;

import java.util.List;

/**
 * One {@code policies[]} element of a report (RFC 8460 §4.4): a policy and the day's sessions under it.
 *
 * @param policy         the applied policy
 * @param successes      total-successful-session-count
 * @param failures       total-failure-session-count
 * @param failureDetails the failures, grouped
 */
public record PolicyResults(ReportedPolicy policy, long successes, long failures, List<FailureDetail> failureDetails) {

    /** Copies the details. */
    public PolicyResults {
        failureDetails = List.copyOf(failureDetails);
    }
}
