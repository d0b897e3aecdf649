package org.stsrelay.received;

import java.util.List;

/**
 * One {@code policies} entry of a received report (RFC 8460 §4.4): the policy a sender applied, and its sessions.
 *
 * @param policyType      {@code sts}, {@code tlsa} or {@code no-policy-found}
 * @param policyStrings   the policy as the sender applied it, one string per line or record
 * @param policyDomain    the domain the policy is for
 * @param mxHosts         the MX patterns or hosts of the applied policy
 * @param totalSuccessful sessions that succeeded
 * @param totalFailure    sessions that failed
 * @param failures        the failure details
 */
public record ReportedPolicy(
        String policyType,
        List<String> policyStrings,
        String policyDomain,
        List<String> mxHosts,
        long totalSuccessful,
        long totalFailure,
        List<ReportedFailure> failures) {

    public ReportedPolicy {
        policyStrings = List.copyOf(policyStrings);
        mxHosts = List.copyOf(mxHosts);
        failures = List.copyOf(failures);
    }
}
