package org.stsrelay.delivery;

import java.util.Optional;
import org.stsrelay.delivery.Verdict.Action;

/** The MTA-STS decision for one MX (RFC 8461 §4, §5), as a pure function of the policy and what was observed. */
final class TlsDecision {

    private TlsDecision() {}

    /**
     * Checks the MX name before connecting (RFC 8461 §4.1). An MX that matches no pattern has no registered
     * RFC 8460 type of its own: certificate-host-mismatch describes a certificate presented, and none was, so
     * the catch-all validation-failure (§4.3.3) carries an "mx-mismatch" reason code.
     */
    static Optional<TlsResult.Failure> mxMismatch(AppliedPolicy policy, String mxHost) {
        if (policy.allows(mxHost)) {
            return Optional.empty();
        }
        return Optional.of(
                new TlsResult.Failure(TlsResultType.VALIDATION_FAILURE, "mx-mismatch: " + mxHost + " not in policy"));
    }

    /** Decides what to do at an MX whose STARTTLS outcome is {@code seen}. */
    static Verdict decide(AppliedPolicy policy, String mxHost, MxObservation seen) {
        Optional<TlsResult.Failure> failure = mxMismatch(policy, mxHost).or(() -> failureOf(seen));
        if (policy.mode() == PolicyMode.ENFORCE) {
            // RFC 8461 §5: MUST NOT deliver to hosts that fail MX matching, certificate validation or STARTTLS.
            return new Verdict(failure.isPresent() ? Action.REFUSE : Action.DELIVER_VERIFIED, failure);
        }
        // RFC 8461 §5 testing, none and no policy: the same checks, recorded; delivery goes on (§5).
        Action action;
        if (seen instanceof MxObservation.Tls tls) {
            action = tls.problem().isEmpty() ? Action.DELIVER_VERIFIED : Action.DELIVER_UNVERIFIED;
        } else if (seen instanceof MxObservation.HandshakeFailed) {
            action = Action.RECONNECT_PLAINTEXT;
        } else {
            action = Action.DELIVER_PLAINTEXT;
        }
        // A verified session at an MX outside the patterns is still not policy-compliant (testing records it).
        if (action == Action.DELIVER_VERIFIED && failure.isPresent()) {
            action = Action.DELIVER_UNVERIFIED;
        }
        return new Verdict(action, failure);
    }

    private static Optional<TlsResult.Failure> failureOf(MxObservation seen) {
        if (seen instanceof MxObservation.Tls tls) {
            return tls.problem();
        }
        if (seen instanceof MxObservation.HandshakeFailed failed) {
            return Optional.of(new TlsResult.Failure(TlsResultType.VALIDATION_FAILURE, failed.reason()));
        }
        return Optional.of(new TlsResult.Failure(TlsResultType.STARTTLS_NOT_SUPPORTED, "STARTTLS not offered"));
    }
}
