package org.stsrelay.tlsrpt;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.stsrelay.delivery.TlsResult;
import org.stsrelay.delivery.TlsResultType;
import org.stsrelay.policy.MxPattern;
import org.stsrelay.policy.Policy;

/**
 * One TLS result as the journal keeps it: only what the daily aggregation and report need, so the
 * journal does not depend on the policy cache's types after a restart.
 *
 * @param at            when the attempt was made; its UTC date picks the report day
 * @param policyDomain  the policy domain
 * @param policy        the applied policy as reported
 * @param policyId      the STS policy's TXT record id (empty for no-policy-found)
 * @param resultType    empty for a successful session, else the failure's result type
 * @param sendingIp     sending-mta-ip
 * @param mxHost        receiving-mx-hostname
 * @param helo          receiving-mx-helo
 * @param receivingIp   receiving-ip
 * @param reasonCode    failure-reason-code
 */
record JournalEntry(
        Instant at,
        String policyDomain,
        ReportedPolicy policy,
        Optional<String> policyId,
        Optional<TlsResultType> resultType,
        Optional<String> sendingIp,
        Optional<String> mxHost,
        Optional<String> helo,
        Optional<String> receivingIp,
        Optional<String> reasonCode) {

    JournalEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(policyDomain, "policyDomain");
        Objects.requireNonNull(policy, "policy");
    }

    /** Takes what reports need from delivery's result. */
    static JournalEntry of(TlsResult result) {
        // RFC 8460 §4.4: tlsa for DANE, sts for MTA-STS, no-policy-found when neither applied.
        ReportedPolicy policy = result.tlsa()
                .map(records -> new ReportedPolicy(ReportedPolicy.PolicyType.TLSA, records, List.of()))
                .orElseGet(() -> result.policy().map(JournalEntry::reported).orElseGet(ReportedPolicy::noPolicyFound));
        return new JournalEntry(
                result.at(),
                result.policyDomain(),
                policy,
                result.policy().map(Policy::id),
                result.failure().map(TlsResult.Failure::type),
                result.sendingIp(),
                result.mxHost(),
                result.receivingHelo(),
                result.receivingIp(),
                result.failure().map(TlsResult.Failure::reasonCode).filter(code -> !code.isEmpty()));
    }

    private static ReportedPolicy reported(Policy policy) {
        return new ReportedPolicy(
                ReportedPolicy.PolicyType.STS,
                policy.lines(),
                policy.mx().stream().map(MxPattern::pattern).toList());
    }

    /** The entry of a result at {@code at} with {@code key}. */
    static JournalEntry of(Instant at, ResultKey key) {
        return new JournalEntry(
                at,
                key.policyDomain(),
                key.policy(),
                key.policyId(),
                key.resultType(),
                key.sendingIp(),
                key.mxHost(),
                key.helo(),
                key.receivingIp(),
                key.reasonCode());
    }

    /** Everything but the time: what the result is counted under. */
    ResultKey key() {
        return new ResultKey(
                policyDomain, policy, policyId, resultType, sendingIp, mxHost, helo, receivingIp, reasonCode);
    }

    boolean success() {
        return resultType.isEmpty();
    }
}
