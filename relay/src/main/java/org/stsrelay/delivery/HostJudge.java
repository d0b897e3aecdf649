package org.stsrelay.delivery;

import java.util.Optional;

/**
 * Judges one session at one MX host by the rule that applies to it (RFC 8461 §2, RFC 7672 §2.2): DANE's verdict
 * where DANE decides, else the MTA-STS policy's, with DANE's outcome alongside wherever the host has TLSA records.
 */
final class HostJudge {

    /**
     * What the rules make of one session.
     *
     * @param applied the verdict acted on: DANE's when it decides, else MTA-STS's; MTA-STS never overrides DANE
     * @param dane    DANE's outcome when the host has TLSA records, enforced or only reported
     */
    record Judgement(Verdict applied, Optional<DaneDecision.Outcome> dane) {}

    private final DaneDecision dane;

    HostJudge(DaneDecision dane) {
        this.dane = dane;
    }

    /** Judges the session at {@code rule}'s host whose STARTTLS outcome is {@code seen}. */
    Judgement judge(AppliedPolicy policy, HostTls rule, MxObservation seen) {
        Optional<DaneDecision.Outcome> outcome = rule.dane().map(records -> dane.decide(records, seen));
        Verdict applied =
                rule.daneDecides() ? outcome.orElseThrow().verdict() : TlsDecision.decide(policy, rule.host(), seen);
        return new Judgement(applied, outcome);
    }
}
