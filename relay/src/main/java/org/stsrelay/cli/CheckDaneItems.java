package org.stsrelay.cli;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.stsrelay.dane.TlsaRecord;
import org.stsrelay.dane.TlsaRrset;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.policy.dns.DnssecMode;
import org.stsrelay.policy.dns.DnssecStatus;
import org.stsrelay.policy.dns.Secured;
import org.stsrelay.policy.dns.Security;
import org.stsrelay.policy.dns.TlsaRecordData;

/**
 * The {@code check} items about DANE from DNS alone: the checker's DNSSEC, the MX RRset, and per MX host its
 * addresses, TLSA records and rollover readiness, each said in terms of what a DANE sender does (RFC 7672 §2).
 */
final class CheckDaneItems {

    private CheckDaneItems() {}

    /** Every DNS-side DANE item, in the order shown. */
    static List<CheckItem> of(CheckDaneFindings findings) {
        List<CheckItem> items = new ArrayList<>();
        items.add(dnssec(findings.dnssec()));
        if (!findings.dnssec().available()) {
            return items;
        }
        items.add(mx(findings.mx()));
        for (CheckDaneFindings.Host host : findings.hosts()) {
            items.add(addresses(host));
            host.tlsa().ifPresent(tlsa -> items.add(tlsa(host, tlsa)));
            items.addAll(CheckDaneRollover.fromDns(host.host(), host.usable()));
        }
        return items;
    }

    // RFC 7672 §2.1.1: without validation no answer is secure, so nothing can be said about the domain's DANE.
    private static CheckItem dnssec(DnssecStatus status) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("mode", status.mode().name().toLowerCase(Locale.ROOT));
        facts.put("status", status.available() ? "validating" : "unavailable");
        facts.put("reason", status.reason());
        if (status.available()) {
            return new CheckItem(
                    CheckVerdict.OK, "dnssec", "DNSSEC: the resolvers deliver validatable DNSSEC data", facts);
        }
        if (status.mode() == DnssecMode.OFF) {
            // Switched off on purpose: a fact about this checker's configuration, not a problem of the domain.
            return new CheckItem(
                    CheckVerdict.INFO,
                    "dnssec",
                    "DNSSEC is off here (dns.dnssec: off): the DANE part " + "is not checked",
                    facts);
        }
        return new CheckItem(
                CheckVerdict.WARN,
                "dnssec",
                "DNSSEC unavailable at this checker (" + status.reason()
                        + "): the DANE part could not be checked; this says nothing about the domain",
                facts);
    }

    private static CheckItem mx(Secured<?> mx) {
        Map<String, Object> facts = security(mx);
        return switch (mx.security()) {
            case SECURE ->
                new CheckItem(
                        CheckVerdict.OK,
                        "dane-mx",
                        "MX RRset secure: DANE applies to the MX hosts "
                                + "that publish TLSA records (RFC 7672 §2.2.1)",
                        facts);
            case INSECURE ->
                new CheckItem(
                        CheckVerdict.INFO,
                        "dane-mx",
                        "MX RRset insecure: DANE does not apply to " + "this domain (RFC 7672 §2.2.1)",
                        facts);
            default -> lookupError("dane-mx", "MX RRset", "this domain", mx, facts);
        };
    }

    // RFC 7672 §2.2.2: the address answer, CNAMEs followed, must be secure before TLSA records are looked for.
    private static CheckItem addresses(CheckDaneFindings.Host host) {
        Secured<InetAddress> addresses = host.addresses();
        Map<String, Object> facts = security(addresses);
        facts.put("host", host.host());
        String subject = host.host() + ": address records";
        if (addresses.answer() instanceof DnsResult.Records<InetAddress> records) {
            facts.put("canonical name", records.canonicalName());
            facts.put(
                    "addresses",
                    records.values().stream().map(InetAddress::getHostAddress).toList());
        }
        return switch (addresses.security()) {
            case SECURE ->
                addresses.answer().valuesOrEmpty().isEmpty()
                        ? new CheckItem(
                                CheckVerdict.WARN,
                                "dane-addresses",
                                host.host() + ": no address records ("
                                        + addresses.answer().describe() + "): senders cannot deliver to this host",
                                facts)
                        : new CheckItem(CheckVerdict.OK, "dane-addresses", subject + " secure", facts);
            case INSECURE ->
                new CheckItem(
                        CheckVerdict.INFO,
                        "dane-addresses",
                        subject + " insecure: DANE does "
                                + "not apply to this host, its TLSA records are not looked up (RFC 7672 §2.2.2)",
                        facts);
            default -> lookupError("dane-addresses", subject, "this host", addresses, facts);
        };
    }

    private static CheckItem tlsa(CheckDaneFindings.Host host, Secured<TlsaRecordData> tlsa) {
        Map<String, Object> facts = security(tlsa);
        facts.put("host", host.host());
        facts.put("tlsa name", "_25._tcp." + host.tlsaBase());
        List<TlsaRecord> records = CheckDaneFindings.Host.records(tlsa.answer());
        facts.put("records", records.stream().map(CheckDaneItems::usability).toList());
        String subject = host.host() + ": TLSA";
        return switch (tlsa.security()) {
            case SECURE -> secureTlsa(host, tlsa, facts);
            case INSECURE ->
                new CheckItem(
                        CheckVerdict.INFO,
                        "dane-tlsa",
                        records.isEmpty()
                                ? subject
                                        + " insecure: no secure TLSA, DANE does not apply to this host (RFC 7672 §2.2.3)"
                                : subject
                                        + " in an unsigned zone: ignored, DANE does not apply to this host (RFC 7672 §2.2.3)",
                        facts);
            default -> lookupError("dane-tlsa", subject, "this host", tlsa, facts);
        };
    }

    private static CheckItem secureTlsa(
            CheckDaneFindings.Host host, Secured<TlsaRecordData> tlsa, Map<String, Object> facts) {
        String name = host.host();
        if (tlsa.isSecureDenial() || tlsa.answer().valuesOrEmpty().isEmpty()) {
            return new CheckItem(
                    CheckVerdict.INFO,
                    "dane-tlsa",
                    name + ": secure denial: no TLSA at _25._tcp."
                            + host.tlsaBase()
                            + ", so DANE does not apply to this host; MTA-STS or opportunistic TLS does "
                            + "(RFC 7672 §2.2)",
                    facts);
        }
        TlsaRrset rrset = host.secureRrset().orElseThrow();
        if (rrset instanceof TlsaRrset.Usable usable) {
            return new CheckItem(
                    CheckVerdict.OK,
                    "dane-tlsa",
                    name + ": TLSA secure: DANE applies to " + name
                            + ": senders require TLS authenticated by one of its "
                            + usable.usable().size()
                            + " usable record(s) (RFC 7672 §2.2, §3)",
                    facts);
        }
        List<TlsaRecord> all = ((TlsaRrset.NoneUsable) rrset).all();
        boolean pkixOnly =
                all.stream().allMatch(r -> r.usage() == TlsaRecord.PKIX_TA || r.usage() == TlsaRecord.PKIX_EE);
        return new CheckItem(
                CheckVerdict.WARN,
                "dane-tlsa",
                name + ": TLSA secure but "
                        + (pkixOnly
                                ? "only PKIX-TA(0)/PKIX-EE(1) records, which SMTP senders treat as unusable "
                                        + "(RFC 7672 §3.1.3)"
                                : "no usable record (RFC 7672 §3.1.3)")
                        + ": senders require TLS but do not authenticate the server (RFC 7672 §2.2); publish DANE-EE(3) or "
                        + "DANE-TA(2) records",
                facts);
    }

    // RFC 7672 §2.1.2: bogus and indeterminate answers are lookup errors; the sender skips the host or delays.
    private static CheckItem lookupError(
            String topic, String subject, String target, Secured<?> answer, Map<String, Object> facts) {
        if (answer.security() == Security.BOGUS) {
            return new CheckItem(
                    CheckVerdict.FAIL,
                    topic,
                    subject + " bogus (" + answer.reason() + "): a DANE sender " + "will not deliver to " + target
                            + " (RFC 7672 §2.1.2)",
                    facts);
        }
        return new CheckItem(
                CheckVerdict.UNKNOWN,
                topic,
                subject + " indeterminate (" + answer.reason() + "): a DANE "
                        + "sender treats it as a lookup error and does not deliver to " + target + " while it lasts "
                        + "(RFC 7672 §2.1.2)",
                facts);
    }

    private static Map<String, Object> security(Secured<?> answer) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("dnssec", answer.security().name().toLowerCase(Locale.ROOT));
        facts.put("reason", answer.reason());
        return facts;
    }

    /** A record in presentation form with whether a DANE sender can use it, and why not (RFC 7672 §3.1.3). */
    static String usability(TlsaRecord record) {
        return record.presentation()
                + record.unusable().map(why -> " (unusable: " + why + ")").orElse(" (usable)");
    }
}
