package org.stsrelay.delivery;

import java.util.Optional;
import org.stsrelay.dane.DaneResult;
import org.stsrelay.dane.DaneStatus;
import org.stsrelay.dane.DaneVerifier;
import org.stsrelay.dane.TlsaRecord;
import org.stsrelay.dane.TlsaRrset;
import org.stsrelay.delivery.Verdict.Action;

/**
 * The DANE decision for one MX host with a secure TLSA RRset (RFC 7672 §2.2, §3), as a function of the records
 * and what STARTTLS came to: TLS is mandatory, and with usable records the chain must match one.
 */
final class DaneDecision {

    /**
     * DANE's answer for one session.
     *
     * @param verdict what DANE requires: deliver over TLS, or refuse with the RFC 8460 failure
     * @param matched the record that authenticated the server, when one did
     * @param detail  for the log: the matched record, "no usable records", or why none matched
     */
    record Outcome(Verdict verdict, Optional<TlsaRecord> matched, String detail) {}

    private final DaneVerifier verifier;

    DaneDecision(DaneVerifier verifier) {
        this.verifier = verifier;
    }

    /** Decides at an MX with {@code dane}'s records whose STARTTLS outcome is {@code seen}. */
    Outcome decide(DaneStatus.Applies dane, MxObservation seen) {
        if (seen instanceof MxObservation.NoStartTls) {
            // RFC 7672 §2.2: TLSA records are a commitment to STARTTLS; without it the host is not used.
            return refuse(
                    TlsResultType.STARTTLS_NOT_SUPPORTED,
                    "STARTTLS not offered, but TLSA records require TLS (RFC 7672 §2.2)");
        }
        if (seen instanceof MxObservation.HandshakeFailed failed) {
            return refuse(TlsResultType.VALIDATION_FAILURE, failed.reason());
        }
        MxObservation.Tls tls = (MxObservation.Tls) seen;
        if (dane.rrset() instanceof TlsaRrset.Usable usable) {
            DaneResult result = verifier.verify(tls.chain(), usable.usable(), dane.identifiers());
            if (result instanceof DaneResult.Authenticated authenticated) {
                return new Outcome(
                        new Verdict(Action.DELIVER_VERIFIED, Optional.empty()),
                        Optional.of(authenticated.record()),
                        "matched " + authenticated.record().presentation());
            }
            DaneResult.Refused refused = (DaneResult.Refused) result;
            // RFC 7672 §3.2: "Messages MUST NOT be delivered via the SMTP server if authentication fails."
            return refuse(
                    TlsResultType.fromToken(refused.failure().resultType()).orElseThrow(), refused.detail());
        }
        // RFC 7672 §2.2: records, none usable: encrypted, not authenticated, and that is policy-compliant.
        return new Outcome(
                new Verdict(Action.DELIVER_UNVERIFIED, Optional.empty()),
                Optional.empty(),
                "no usable TLSA records: TLS without authentication (RFC 7672 §2.2)");
    }

    private static Outcome refuse(TlsResultType type, String reason) {
        return new Outcome(
                new Verdict(Action.REFUSE, Optional.of(new TlsResult.Failure(type, reason))), Optional.empty(), reason);
    }
}
