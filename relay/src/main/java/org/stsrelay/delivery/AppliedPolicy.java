package org.stsrelay.delivery;

import java.util.Optional;
import org.stsrelay.config.MtaStsConfig.Enforcement;
import org.stsrelay.policy.Mode;
import org.stsrelay.policy.Policy;
import org.stsrelay.policy.PolicyLookup;

/**
 * How MTA-STS applies to one delivery attempt of one domain.
 *
 * @param mode             the effective mode
 * @param policy           the published policy, when one was found (TLS-RPT reports it)
 * @param checkMxPatterns  whether MX names must match the policy's mx patterns (only with a published policy)
 * @param publishedEnforce a published enforce policy applies in full: what REQUIRETLS accepts (RFC 8689 §4.2.1)
 * @param lookupFailure    the RFC 8460 §4.3.2.2 failure of the policy lookup, when a TXT record promised one
 */
record AppliedPolicy(
        PolicyMode mode,
        Optional<Policy> policy,
        boolean checkMxPatterns,
        boolean publishedEnforce,
        Optional<TlsResult.Failure> lookupFailure) {

    /**
     * Combines the lookup with the relay's switches.
     *
     * @param forced      a per-domain override mode (enforce, testing, none), if configured
     * @param tlsOptional RFC 8689 §5: TLS-Required: No (and TLS reports, RFC 8460 §3) never stop on policy failures
     */
    static AppliedPolicy of(PolicyLookup lookup, Optional<Mode> forced, Enforcement enforcement, boolean tlsOptional) {
        Optional<Policy> policy =
                lookup instanceof PolicyLookup.Found found ? Optional.of(found.policy()) : Optional.empty();
        Optional<TlsResult.Failure> failure = lookup instanceof PolicyLookup.NoPolicy none
                ? none.resultType().map(type -> new TlsResult.Failure(typeOf(type), none.reason()))
                : Optional.empty();
        PolicyMode mode = forced.map(AppliedPolicy::modeOf)
                .orElse(policy.map(p -> modeOf(p.mode())).orElse(PolicyMode.NO_POLICY));
        // The relay-wide report-only switch and TLS-Required: No both turn refusals into records.
        boolean downgraded = enforcement == Enforcement.REPORT_ONLY || tlsOptional;
        if (mode == PolicyMode.ENFORCE && downgraded) {
            mode = PolicyMode.TESTING;
        }
        boolean published =
                mode == PolicyMode.ENFORCE && policy.isPresent() && policy.get().mode() == Mode.ENFORCE;
        // A forced mode with no published policy has no mx patterns to check: STARTTLS and the certificate for
        // the MX host dialled are still checked (the override's documented meaning).
        boolean checkPatterns = policy.isPresent() && policy.get().mode() != Mode.NONE && mode != PolicyMode.NONE;
        return new AppliedPolicy(mode, policy, checkPatterns, published, failure);
    }

    /** RFC 8461 §4.1: whether {@code mxHost} may be used; always true when no patterns apply. */
    boolean allows(String mxHost) {
        return !checkMxPatterns || policy.orElseThrow().matchesMx(mxHost);
    }

    private static PolicyMode modeOf(Mode mode) {
        return switch (mode) {
            case ENFORCE -> PolicyMode.ENFORCE;
            case TESTING -> PolicyMode.TESTING;
            case NONE -> PolicyMode.NONE;
        };
    }

    private static TlsResultType typeOf(org.stsrelay.policy.ResultType type) {
        return switch (type) {
            case STS_POLICY_FETCH_ERROR -> TlsResultType.STS_POLICY_FETCH_ERROR;
            case STS_WEBPKI_INVALID -> TlsResultType.STS_WEBPKI_INVALID;
            case STS_POLICY_INVALID -> TlsResultType.STS_POLICY_INVALID;
        };
    }
}
