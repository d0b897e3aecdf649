package org.stsrelay.delivery;

import java.time.Instant;
import java.util.Optional;
import org.stsrelay.policy.Policy;

/**
 * The TLS outcome of one delivery attempt to one MX (or of the policy lookup, when no MX was tried):
 * what RFC 8460 reports aggregate. Produced by delivery, consumed by TLS-RPT.
 *
 * @param at            when the attempt was made
 * @param policyDomain  the policy domain (the recipient domain, A-label, lower case)
 * @param policy        the MTA-STS policy applied; empty for {@code no-policy-found}
 * @param mxHost        the MX host name tried, when the attempt got that far
 * @param receivingIp   the MX address connected to
 * @param receivingHelo the name in the MX's EHLO reply
 * @param sendingIp     the relay's local address of the connection
 * @param failure       empty for a policy-compliant TLS session; else the result type and detail
 */
public record TlsResult(
        Instant at,
        String policyDomain,
        Optional<Policy> policy,
        Optional<String> mxHost,
        Optional<String> receivingIp,
        Optional<String> receivingHelo,
        Optional<String> sendingIp,
        Optional<Failure> failure) {

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
    public record Failure(TlsResultType type, String reasonCode) {
    }
}
