package org.stsrelay.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stsrelay.policy.Mode;
import org.stsrelay.policy.MxPattern;
import org.stsrelay.policy.NoPolicyCause;
import org.stsrelay.policy.ParseResult;
import org.stsrelay.policy.PolicyDocument;
import org.stsrelay.policy.StsRecordParser;
import org.stsrelay.policy.fetch.CertificateInfo;
import org.stsrelay.policy.fetch.FetchInfo;
import org.stsrelay.policy.fetch.FetchResult;
import org.stsrelay.policy.resolve.Diagnosis;
import org.stsrelay.policy.resolve.Discovery;

/** Turns the policy module's diagnosis (TXT record, HTTPS fetch, parse) into {@code check} items. */
final class CheckPolicyItems {

    // RFC 8461 §3.2: max_age "weeks or greater" is recommended; under a day, a blocked fetch soon means no policy.
    private static final long SHORT_MAX_AGE = 86_400;
    private static final long EXPIRY_WARNING_DAYS = 14;

    private CheckPolicyItems() {}

    static List<CheckItem> of(Diagnosis diagnosis, Instant now) {
        List<CheckItem> items = new ArrayList<>();
        Discovery discovery = diagnosis.discovery();
        items.add(txt(diagnosis.domain(), discovery));
        items.addAll(CheckNotes.discarded(
                "mta-sts-txt", "_mta-sts TXT", "v=STSv1", discovery.txtRecords(), StsRecordParser::isStsRecord));
        if (discovery instanceof Discovery.Discovered found) {
            items.addAll(CheckNotes.items(
                    "mta-sts-txt", "_mta-sts TXT", found.record().notes()));
        }
        items.add(fetch(discovery, diagnosis.fetch(), now));
        diagnosis.parseResult().ifPresent(parse -> {
            items.add(syntax(parse));
            if (parse instanceof ParseResult.Valid valid) {
                items.addAll(CheckNotes.items(
                        "policy-syntax", "policy", valid.document().notes()));
            }
        });
        return items;
    }

    // RFC 8461 §3.1: exactly one v=STSv1 record with a valid id, else the domain has no available policy.
    private static CheckItem txt(String domain, Discovery discovery) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("name", "_mta-sts." + domain);
        if (!discovery.txtRecords().isEmpty()) {
            facts.put("records", discovery.txtRecords());
        }
        if (discovery instanceof Discovery.Discovered found) {
            return new CheckItem(
                    CheckVerdict.OK,
                    "mta-sts-txt",
                    "_mta-sts TXT: one valid record, id " + found.record().id(),
                    facts);
        }
        Discovery.Unavailable none = (Discovery.Unavailable) discovery;
        CheckVerdict verdict = none.cause() == NoPolicyCause.DNS_FAILURE ? CheckVerdict.UNKNOWN : CheckVerdict.FAIL;
        String summary = switch (none.cause()) {
            case NO_RECORD -> "_mta-sts TXT: missing, so senders see no MTA-STS policy (" + none.reason() + ")";
            case SEVERAL_RECORDS -> "_mta-sts TXT: " + none.reason() + ", so senders see no policy";
            case INVALID_RECORD -> "_mta-sts TXT: " + none.reason();
            case DNS_FAILURE -> "_mta-sts TXT: could not be looked up: " + none.reason();
            default -> "_mta-sts TXT: " + none.reason();
        };
        return new CheckItem(verdict, "mta-sts-txt", summary, facts);
    }

    // RFC 8461 §3.3: HTTPS with a valid certificate for mta-sts.<domain>, HTTP 200, text/plain, no redirects.
    private static CheckItem fetch(Discovery discovery, FetchResult fetch, Instant now) {
        Map<String, Object> facts = facts(fetch.info());
        if (fetch instanceof FetchResult.Failed failed) {
            boolean noMtaSts =
                    discovery instanceof Discovery.Unavailable none && none.cause() == NoPolicyCause.NO_RECORD;
            return new CheckItem(
                    noMtaSts ? CheckVerdict.INFO : CheckVerdict.FAIL,
                    "policy-fetch",
                    "policy fetch failed (" + failed.resultType().token() + "): " + failed.detail(),
                    facts);
        }
        FetchInfo info = fetch.info();
        String summary = "policy fetched: HTTP 200, " + info.contentType().orElse("no content type") + ", "
                + info.bodyBytes() + " bytes";
        if (info.certificate().isPresent()) {
            Instant notAfter = info.certificate().get().notAfter();
            if (notAfter.isBefore(now.plusSeconds(EXPIRY_WARNING_DAYS * 86_400))) {
                return new CheckItem(
                        CheckVerdict.WARN,
                        "policy-fetch",
                        summary + "; the certificate expires " + date(notAfter)
                                + ": renew it before it does, or senders lose the policy",
                        facts);
            }
        }
        return new CheckItem(CheckVerdict.OK, "policy-fetch", summary, facts);
    }

    private static Map<String, Object> facts(FetchInfo info) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("url", info.url());
        if (!info.addresses().isEmpty()) {
            facts.put("addresses", info.addresses());
        }
        info.connectedTo().ifPresent(address -> facts.put("connected to", address));
        info.tlsProtocol().ifPresent(protocol -> facts.put("tls", protocol));
        info.certificate().ifPresent(certificate -> certificateFacts(certificate, facts));
        info.status().ifPresent(status -> facts.put("http status", status));
        info.redirectLocation().ifPresent(location -> facts.put("redirect (not followed)", location));
        info.contentType().ifPresent(type -> facts.put("content type", type));
        facts.put("size", info.bodyBytes() + " bytes");
        return facts;
    }

    /** Adds what a person checks on a certificate: subject, names, issuer, expiry, chain. */
    static void certificateFacts(CertificateInfo certificate, Map<String, Object> facts) {
        facts.put("certificate subject", certificate.subject());
        facts.put("certificate names", certificate.dnsNames());
        facts.put("certificate issuer", certificate.issuer());
        facts.put("certificate expires", date(certificate.notAfter()));
        facts.put("chain length", certificate.chainLength());
    }

    private static CheckItem syntax(ParseResult parse) {
        if (parse instanceof ParseResult.Invalid invalid) {
            return CheckItem.of(
                    CheckVerdict.FAIL, "policy-syntax", "policy invalid (sts-policy-invalid): " + invalid.reason());
        }
        PolicyDocument document = ((ParseResult.Valid) parse).document();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("mode", document.mode().token());
        facts.put(
                "max_age",
                document.maxAgeSeconds() + " s (" + PolicyText.humanDuration(document.maxAgeSeconds()) + ")");
        facts.put("mx", document.mx().stream().map(MxPattern::pattern).toList());
        String summary = "policy valid: mode " + document.mode().token() + ", max_age " + document.maxAgeSeconds()
                + ", " + document.mx().size() + " mx pattern(s)";
        CheckVerdict verdict = CheckVerdict.OK;
        if (document.mode() == Mode.NONE) {
            verdict = CheckVerdict.INFO;
            summary += "; mode none tells senders to stop applying MTA-STS";
        } else if (document.mode() == Mode.TESTING) {
            verdict = CheckVerdict.INFO;
            summary += "; testing: failures are reported, mail is still delivered";
        }
        if (document.maxAgeSeconds() < SHORT_MAX_AGE) {
            verdict = CheckVerdict.WARN;
            summary += "; max_age under a day (RFC 8461 §3.2 recommends weeks)";
        }
        return new CheckItem(verdict, "policy-syntax", summary, facts);
    }

    static String date(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }
}
