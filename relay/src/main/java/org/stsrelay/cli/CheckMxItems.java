package org.stsrelay.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stsrelay.delivery.StartTlsProbeResult;
import org.stsrelay.policy.Mode;
import org.stsrelay.policy.MxPattern;
import org.stsrelay.policy.PolicyDocument;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.policy.dns.MxRecord;

/** The {@code check} items about a domain's MX hosts: each matched against the policy, and each probed. */
final class CheckMxItems {

    /**
     * The MX hosts to probe, best preference first, and the items about them.
     *
     * @param hosts the hosts mail would go to; empty for a null MX or when DNS gave none
     * @param items one item per host, or one saying why there are none
     */
    record Found(List<MxRecord> hosts, List<CheckItem> items) {}

    private CheckMxItems() {}

    static Found of(String domain, DnsResult<MxRecord> answer, Optional<PolicyDocument> policy) {
        if (answer instanceof DnsResult.Failure<MxRecord>) {
            return none(CheckVerdict.UNKNOWN, "MX: could not be looked up: " + answer.describe());
        }
        if (answer instanceof DnsResult.NxDomain<MxRecord>) {
            return none(CheckVerdict.FAIL, "MX: " + domain + " does not exist (NXDOMAIN)");
        }
        List<MxRecord> hosts = new ArrayList<>(answer.valuesOrEmpty());
        List<CheckItem> items = new ArrayList<>();
        if (hosts.isEmpty()) {
            // RFC 5321 §5.1: without MX records the domain itself is the implicit MX, with preference 0.
            hosts.add(new MxRecord(0, domain));
            items.add(CheckItem.of(
                    CheckVerdict.INFO,
                    "mx",
                    "no MX record: mail goes to " + domain + " itself (implicit MX, RFC 5321 §5.1)"));
        }
        if (hosts.stream().anyMatch(CheckMxItems::isNullMx)) {
            // RFC 7505 §3: a null MX is the only MX record of a domain that accepts no mail.
            return hosts.size() == 1
                    ? none(CheckVerdict.INFO, "MX: null MX (RFC 7505): " + domain + " accepts no mail")
                    : none(
                            CheckVerdict.FAIL,
                            "MX: a null MX (RFC 7505 §3) must be the only MX record, but " + domain + " has "
                                    + hosts.size());
        }
        hosts.sort(Comparator.comparingInt(MxRecord::preference));
        for (MxRecord mx : hosts) {
            items.add(match(mx, policy));
        }
        return new Found(List.copyOf(hosts), items);
    }

    private static Found none(CheckVerdict verdict, String summary) {
        return new Found(List.of(), List.of(CheckItem.of(verdict, "mx", summary)));
    }

    private static boolean isNullMx(MxRecord mx) {
        return mx.preference() == 0 && (mx.host().isEmpty() || mx.host().equals("."));
    }

    // RFC 8461 §4.1: senders deliver only to MX hosts that match one of the policy's mx patterns.
    private static CheckItem match(MxRecord mx, Optional<PolicyDocument> policy) {
        String name = mx.host() + " (preference " + mx.preference() + ")";
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("host", mx.host());
        facts.put("preference", mx.preference());
        if (policy.isEmpty()) {
            return new CheckItem(CheckVerdict.INFO, "mx", name + ": no valid policy to match it against", facts);
        }
        PolicyDocument document = policy.get();
        if (document.mode() == Mode.NONE) {
            return new CheckItem(CheckVerdict.INFO, "mx", name + ": policy mode none, not matched", facts);
        }
        Optional<MxPattern> pattern =
                document.mx().stream().filter(p -> p.matches(mx.host())).findFirst();
        if (pattern.isPresent()) {
            facts.put("pattern", pattern.get().pattern());
            return new CheckItem(
                    CheckVerdict.OK,
                    "mx",
                    name + " matches the policy's mx pattern " + pattern.get().pattern(),
                    facts);
        }
        facts.put("patterns", document.mx().stream().map(MxPattern::pattern).toList());
        return new CheckItem(
                CheckVerdict.FAIL,
                "mx",
                name + " matches no mx pattern of the policy: senders "
                        + "applying it will not deliver there (RFC 8461 §4.1)",
                facts);
    }

    /** The item for one STARTTLS probe. */
    static CheckItem probe(StartTlsProbeResult result) {
        Map<String, Object> facts = probeFacts(result);
        String host = result.host() + " (" + result.address() + ")";
        if (result.unreachable()) {
            return new CheckItem(
                    CheckVerdict.UNKNOWN,
                    "mx-tls",
                    host + ": could not check: " + result.failure().orElse("no greeting")
                            + " (outbound port 25 is often blocked)",
                    facts);
        }
        if (result.validated()) {
            return new CheckItem(
                    CheckVerdict.OK,
                    "mx-tls",
                    host + ": STARTTLS, " + result.tlsProtocol().get()
                            + ", certificate valid for " + result.host() + " until "
                            + CheckPolicyItems.date(result.certificate().get().notAfter()),
                    facts);
        }
        if (result.tlsEstablished() || result.certificateProblem().isPresent()) {
            return new CheckItem(
                    CheckVerdict.FAIL,
                    "mx-tls",
                    host + ": the certificate does not validate: "
                            + result.certificateProblem().orElse("no certificate") + " (RFC 8461 §4.2)",
                    facts);
        }
        return new CheckItem(
                CheckVerdict.FAIL, "mx-tls", host + ": " + result.failure().orElse("no TLS"), facts);
    }

    /**
     * The item for a probe whose certificate a TLSA record authenticated but PKIX does not: fine for DANE senders,
     * refused by senders that apply an MTA-STS policy without DANE (RFC 8461 §4.2), so a FAIL under {@code enforced}.
     */
    static CheckItem pkixBesideDane(StartTlsProbeResult result, boolean enforced) {
        String problem = result.certificateProblem().orElse("no certificate");
        return new CheckItem(
                enforced ? CheckVerdict.FAIL : CheckVerdict.WARN,
                "mx-tls",
                result.host() + " ("
                        + result.address() + "): STARTTLS, "
                        + result.tlsProtocol().orElse("TLS") + "; the certificate does "
                        + "not validate under PKIX (" + problem
                        + "): DANE senders accept it by its TLSA record, but senders "
                        + "applying MTA-STS alone would refuse it" + (enforced ? " under the enforce policy" : "")
                        + " (RFC 8461 §4.2)",
                probeFacts(result));
    }

    private static Map<String, Object> probeFacts(StartTlsProbeResult result) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("address", result.address());
        result.banner().ifPresent(banner -> facts.put("banner", banner));
        if (result.banner().isPresent()) {
            facts.put("starttls offered", result.startTlsOffered() ? "yes" : "no");
        }
        result.tlsProtocol().ifPresent(protocol -> facts.put("tls", protocol));
        result.cipherSuite().ifPresent(cipher -> facts.put("cipher", cipher));
        result.certificate().ifPresent(certificate -> CheckPolicyItems.certificateFacts(certificate, facts));
        result.certificateProblem().ifPresent(problem -> facts.put("certificate problem", problem));
        return facts;
    }
}
