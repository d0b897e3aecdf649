package org.stsrelay.cli;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.tlsrpt.TlsRptRecordParser;

/** The {@code check} items about a domain's TLS-RPT record (RFC 8460 §3): the verdict, then what was tolerated. */
final class CheckTlsRptItem {

    private CheckTlsRptItem() {}

    static List<CheckItem> of(String domain, DnsResult<String> answer) {
        TlsRptRecordParser.Selection selection = TlsRptRecordParser.select(answer.valuesOrEmpty());
        List<CheckItem> items = new ArrayList<>();
        items.add(verdict(domain, answer, selection));
        items.addAll(CheckNotes.discarded(
                "tls-rpt", "TLS-RPT", "v=TLSRPTv1", answer.valuesOrEmpty(), TlsRptRecordParser::isTlsRptRecord));
        if (selection instanceof TlsRptRecordParser.Selection.Found found) {
            items.addAll(CheckNotes.items("tls-rpt", "TLS-RPT", found.record().notes()));
        }
        return items;
    }

    private static CheckItem verdict(String domain, DnsResult<String> answer, TlsRptRecordParser.Selection selection) {
        String name = "_smtp._tls." + domain;
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("name", name);
        if (answer instanceof DnsResult.Failure<String>) {
            return new CheckItem(
                    CheckVerdict.UNKNOWN, "tls-rpt", "TLS-RPT: could not be looked up: " + answer.describe(), facts);
        }
        if (!answer.valuesOrEmpty().isEmpty()) {
            facts.put("records", answer.valuesOrEmpty());
        }
        if (selection instanceof TlsRptRecordParser.Selection.Found found) {
            facts.put("rua", found.record().rua().stream().map(URI::toString).toList());
            boolean flawed = !found.record().skipped().isEmpty();
            if (flawed) {
                facts.put("skipped", found.record().skipped());
            }
            return new CheckItem(
                    flawed ? CheckVerdict.WARN : CheckVerdict.OK,
                    "tls-rpt",
                    "TLS-RPT: reports go to "
                            + String.join(
                                    ", ",
                                    found.record().rua().stream()
                                            .map(URI::toString)
                                            .toList())
                            + (flawed ? "; some entries are unusable, see below" : ""),
                    facts);
        }
        if (selection instanceof TlsRptRecordParser.Selection.NoRecord) {
            return new CheckItem(
                    CheckVerdict.WARN,
                    "tls-rpt",
                    "TLS-RPT: no v=TLSRPTv1 record at " + name
                            + ": senders cannot tell you when TLS to your MX hosts fails (RFC 8460)",
                    facts);
        }
        if (selection instanceof TlsRptRecordParser.Selection.SeveralRecords several) {
            return new CheckItem(
                    CheckVerdict.FAIL,
                    "tls-rpt",
                    "TLS-RPT: " + several.records().size()
                            + " v=TLSRPTv1 records; exactly one is allowed, so senders use none (RFC 8460 §3)",
                    facts);
        }
        TlsRptRecordParser.Selection.InvalidRecord invalid = (TlsRptRecordParser.Selection.InvalidRecord) selection;
        return new CheckItem(
                CheckVerdict.FAIL,
                "tls-rpt",
                "TLS-RPT: the record is invalid, so senders ignore it: " + invalid.reason() + " (RFC 8460 §3)",
                facts);
    }
}
