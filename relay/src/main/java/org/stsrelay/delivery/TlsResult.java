package org.stsrelay.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.stsrelay.policy.Policy;

/**
 * The TLS outcome of one delivery attempt to one MX (or of the policy lookup, when no MX was tried):
 * what RFC 8460 reports aggregate. Produced by delivery, consumed by TLS-RPT.
 *
 * @param at            when the attempt was made
 * @param policyDomain  the policy domain: the recipient domain (A-label, lower case), or for DANE the TLSA
 *                      base domain, i.e. the MX host (RFC 8460 §1.3)
 * @param policy        the MTA-STS policy applied; empty for {@code no-policy-found} and for DANE
 * @param mxHost        the MX host name tried, when the attempt got that far
 * @param receivingIp   the MX address connected to
 * @param receivingHelo the name in the MX's EHLO reply
 * @param sendingIp     the relay's local address of the connection
 * @param failure       empty for a policy-compliant TLS session; else the result type and detail
 * @param tlsa          present when DANE applied (policy-type {@code tlsa}, RFC 8460 §4.4): the TLSA records in
 *                      presentation form, empty when none could be obtained (dnssec-invalid, dane-required)
 */
public record TlsResult(
        Instant at,
        String policyDomain,
        Optional<Policy> policy,
        Optional<String> mxHost,
        Optional<String> receivingIp,
        Optional<String> receivingHelo,
        Optional<String> sendingIp,
        Optional<Failure> failure,
        Optional<List<String>> tlsa) {

    /** Checks that a result names at most one policy, and copies the TLSA records. */
    public TlsResult {
        tlsa = tlsa.map(List::copyOf);
        if (policy.isPresent() && tlsa.isPresent()) {
            throw new IllegalArgumentException("a TLS result is reported under one policy, not sts and tlsa");
        }
    }

    /** An MTA-STS or no-policy-found result. */
    public TlsResult(
            Instant at,
            String policyDomain,
            Optional<Policy> policy,
            Optional<String> mxHost,
            Optional<String> receivingIp,
            Optional<String> receivingHelo,
            Optional<String> sendingIp,
            Optional<Failure> failure) {
        this(at, policyDomain, policy, mxHost, receivingIp, receivingHelo, sendingIp, failure, Optional.empty());
    }

    /** Whether the session was policy-compliant TLS (RFC 8460 §4.2.1). */
    public boolean success() {
        return failure.isEmpty();
    }

    /**
     * Why the session was not policy-compliant.
     *
     * @param type       the RFC 8460 result type
     * @param reasonCode the failure-reason-code: a short text a person can act on
     */
    public record Failure(TlsResultType type, String reasonCode) {}
}
