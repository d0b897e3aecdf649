package org.stsrelay.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stsrelay.dane.DaneResult;
import org.stsrelay.dane.DaneVerifier;
import org.stsrelay.dane.ReferenceIdentifiers;
import org.stsrelay.dane.TlsaRecord;
import org.stsrelay.dane.TlsaRrset;
import org.stsrelay.delivery.StartTlsProbeResult;

/** The {@code check --probe-mx} items about DANE: what a DANE sender makes of the chain one MX host presented. */
final class CheckDaneProbe {

    /**
     * The DANE items of one probe.
     *
     * @param items the match item and the rollover items, in the order shown; empty when DANE does not apply
     * @param authenticated whether a usable record matched the presented chain
     */
    record Outcome(List<CheckItem> items, boolean authenticated) {}

    private final DaneVerifier verifier;

    CheckDaneProbe(DaneVerifier verifier) {
        this.verifier = verifier;
    }

    /** Judges the probe of {@code host} by its secure TLSA RRset; nothing when it has none or was unreachable. */
    Outcome judge(CheckDaneFindings.Host host, StartTlsProbeResult probe) {
        Optional<TlsaRrset> rrset = host.secureRrset();
        if (probe.unreachable() || rrset.isEmpty() || rrset.get() instanceof TlsaRrset.NoRecords) {
            return new Outcome(List.of(), false);
        }
        if (!probe.tlsEstablished()) {
            // RFC 7672 §2.2: a secure non-empty TLSA RRset is a commitment to TLS; without it there is no delivery.
            return new Outcome(
                    List.of(item(
                            CheckVerdict.FAIL,
                            host,
                            host.host() + ": the TLSA records require TLS, "
                                    + "but " + probe.failure().orElse("TLS was not established")
                                    + ": a DANE sender will not deliver "
                                    + "to this host (RFC 7672 §2.2)",
                            Map.of())),
                    false);
        }
        if (rrset.get() instanceof TlsaRrset.Usable usable) {
            return authenticate(host, usable.usable(), probe);
        }
        return new Outcome(
                List.of(item(
                        CheckVerdict.OK,
                        host,
                        host.host() + ": TLS established; the TLSA RRset has "
                                + "no usable record, so senders require TLS without authenticating it (RFC 7672 §2.2)",
                        Map.of())),
                false);
    }

    // RFC 7672 §3.2: any usable record that matches authenticates; each is tried alone to list every match.
    private Outcome authenticate(CheckDaneFindings.Host host, List<TlsaRecord> usable, StartTlsProbeResult probe) {
        ReferenceIdentifiers identifiers = ReferenceIdentifiers.of(host.tlsaBase(), host.host());
        List<TlsaRecord> matched = usable.stream()
                .filter(record -> verifier.verify(probe.chain(), List.of(record), identifiers)
                        instanceof DaneResult.Authenticated)
                .toList();
        List<CheckItem> items = new ArrayList<>();
        if (matched.isEmpty()) {
            DaneResult.Refused refused = (DaneResult.Refused) verifier.verify(probe.chain(), usable, identifiers);
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("result type", refused.failure().resultType());
            facts.put("detail", refused.detail());
            items.add(item(
                    CheckVerdict.FAIL,
                    host,
                    host.host() + ": DANE fails: no usable TLSA record matches the "
                            + "presented chain, the closest miss is "
                            + refused.failure().resultType() + ": a DANE sender "
                            + "will not deliver to this host (RFC 7672 §3.2)",
                    facts));
            return new Outcome(items, false);
        }
        items.add(item(
                CheckVerdict.OK,
                host,
                host.host() + ": DANE authenticated: the presented chain matches \""
                        + matched.get(0).presentation() + "\" (RFC 7672 §3.2)",
                Map.of(
                        "matched records",
                        matched.stream().map(TlsaRecord::presentation).toList())));
        items.addAll(CheckDaneRollover.afterProbe(host.host(), usable, matched));
        return new Outcome(items, true);
    }

    private static CheckItem item(
            CheckVerdict verdict, CheckDaneFindings.Host host, String summary, Map<String, Object> more) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("host", host.host());
        // RFC 7672 §8.1: the probe sent the TLSA base domain as SNI.
        facts.put("sni", host.tlsaBase());
        facts.putAll(more);
        return new CheckItem(verdict, "dane-match", summary, facts);
    }
}
