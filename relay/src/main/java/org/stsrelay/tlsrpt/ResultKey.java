package org.stsrelay.tlsrpt;

import java.util.Objects;
import java.util.Optional;
import org.stsrelay.delivery.TlsResultType;

/**
 * A TLS result without its time: everything a report counts it under. Results with equal keys are one counted
 * group, in a shipped batch as in a report (RFC 8460 §4.4 counts sessions, it does not list them).
 *
 * @param policyDomain the policy domain
 * @param policy       the applied policy as reported
 * @param policyId     the STS policy's TXT record id (empty for no-policy-found)
 * @param resultType   empty for a successful session, else the failure's result type
 * @param sendingIp    sending-mta-ip
 * @param mxHost       receiving-mx-hostname
 * @param helo         receiving-mx-helo
 * @param receivingIp  receiving-ip
 * @param reasonCode   failure-reason-code
 */
record ResultKey(
        String policyDomain,
        ReportedPolicy policy,
        Optional<String> policyId,
        Optional<TlsResultType> resultType,
        Optional<String> sendingIp,
        Optional<String> mxHost,
        Optional<String> helo,
        Optional<String> receivingIp,
        Optional<String> reasonCode) {

    ResultKey {
        Objects.requireNonNull(policyDomain, "policyDomain");
        Objects.requireNonNull(policy, "policy");
    }

    boolean success() {
        return resultType.isEmpty();
    }
}
