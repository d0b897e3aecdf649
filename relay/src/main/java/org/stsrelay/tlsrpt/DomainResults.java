package org.stsrelay.tlsrpt;

import java.time.LocalDate;
import java.util.List;

/**
 * A policy domain's results of one UTC day: what one report says.
 *
 * @param policyDomain the policy domain
 * @param day          the UTC day
 * @param policies     one entry per policy applied that day (RFC 8460 §4: "policies" is an array)
 */
public record DomainResults(String policyDomain, LocalDate day, List<PolicyResults> policies) {

    /** Copies the policies. */
    public DomainResults {
        policies = List.copyOf(policies);
    }

    /** Sessions that succeeded, over every policy. */
    public long successes() {
        return policies.stream().mapToLong(PolicyResults::successes).sum();
    }

    /** Sessions that failed, over every policy. */
    public long failures() {
        return policies.stream().mapToLong(PolicyResults::failures).sum();
    }
}
