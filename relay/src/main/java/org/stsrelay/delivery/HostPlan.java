package org.stsrelay.delivery;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.stsrelay.dane.DaneStatus;
import org.stsrelay.dane.TlsaRrset;

/**
 * What one attempt does with one MX host, given what DNSSEC says about it: the decision table of RFC 7672
 * §2.1.2, §2.2 and §6, with RFC 8689 §4.2.1 for REQUIRETLS; a pure function of its inputs.
 */
sealed interface HostPlan {

    /** Skip the host as unreachable for now (a failed lookup, RFC 7672 §2.1.2). */
    record Unreachable(String reason, boolean daneLine) implements HostPlan {}

    /**
     * A DANE failure known before connecting, recorded under {@code baseDomain}; {@code enforced}: the host is
     * refused, else (report-only) it is used the MTA-STS way.
     */
    record DaneFailure(String baseDomain, TlsResult.Failure failure, boolean enforced) implements HostPlan {}

    /** DANE decides (RFC 7672 §3.2): connect to the host's validated addresses and authenticate by its records. */
    record Dane(DaneStatus.Applies records) implements HostPlan {}

    /**
     * MTA-STS or opportunistic TLS decides; {@code observed} are TLSA records DANE only reports on, {@code known}
     * the addresses the DANE lookup already found.
     */
    record MtaSts(Optional<DaneStatus.Applies> observed, Optional<List<InetAddress>> known) implements HostPlan {}

    /**
     * Plans the host: {@code dane} is how DANE applies to the attempt, {@code daneOnly} whether a REQUIRETLS message
     * may only go to DANE-authenticated hosts, {@code status} what DNSSEC says about the host.
     */
    static HostPlan of(AppliedDane dane, boolean daneOnly, String host, DaneStatus status) {
        boolean enforcing = dane.enforcing();
        boolean authenticates = status instanceof DaneStatus.Applies a && a.rrset() instanceof TlsaRrset.Usable;
        if (daneOnly && !(enforcing && authenticates)) {
            // RFC 8689 §4.2.1: without an enforce policy only a DANE-authenticated MX may take the message.
            return new Unreachable("REQUIRETLS: " + host + " has no usable DNSSEC-signed TLSA records", false);
        }
        if (status instanceof DaneStatus.Applies applies) {
            return enforcing ? new Dane(applies) : new MtaSts(Optional.of(applies), Optional.of(applies.addresses()));
        }
        if (status instanceof DaneStatus.Bogus bogus) {
            // RFC 7672 §2.1.2: a bogus answer means the host is not used, with no fallback of any kind.
            return new DaneFailure(
                    bogus.baseDomain(), new TlsResult.Failure(TlsResultType.DNSSEC_INVALID, bogus.reason()), enforcing);
        }
        if (status instanceof DaneStatus.Unresolved unresolved && enforcing) {
            return new Unreachable(unresolved.reason(), true);
        }
        if (dane.required()) {
            // RFC 7672 §6, RFC 8460 §4.3.2.1: mandatory DANE and no secure TLSA records for this host.
            String why = status instanceof DaneStatus.NotApplicable na
                    ? na.reason()
                    : ((DaneStatus.Unresolved) status).reason();
            return new DaneFailure(host, new TlsResult.Failure(TlsResultType.DANE_REQUIRED, why), true);
        }
        return new MtaSts(
                Optional.empty(), status instanceof DaneStatus.NotApplicable na ? na.addresses() : Optional.empty());
    }
}
