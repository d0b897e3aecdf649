package org.stsrelay.plan;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.stsrelay.policy.ParseNote;
import org.stsrelay.policy.ParseResult;
import org.stsrelay.policy.PolicyDocument;
import org.stsrelay.policy.PolicyParser;
import org.stsrelay.policy.StsRecord;
import org.stsrelay.policy.StsRecordParser;
import org.stsrelay.tlsrpt.TlsRptRecord;
import org.stsrelay.tlsrpt.TlsRptRecordParser;

/**
 * Reads every generated record and the policy file back through the relay's own parsers: a rejection, a tolerated
 * flaw, or a value that reads differently from the plan is a bug in the planner, never something to publish.
 */
public final class PlanSelfCheck {

    private PlanSelfCheck() {}

    /** Empty when everything reads back exactly as planned; else which output failed and how. */
    public static Optional<String> failure(Plan plan) {
        return tlsRpt(plan).or(() -> policy(plan)).or(() -> mtaSts(plan));
    }

    private static Optional<String> tlsRpt(Plan plan) {
        String what = "generated " + plan.tlsRpt().name() + " record does not parse: ";
        TlsRptRecordParser.Selection selection =
                TlsRptRecordParser.select(List.of(plan.tlsRpt().value()));
        if (!(selection instanceof TlsRptRecordParser.Selection.Found found)) {
            return Optional.of(what + selection);
        }
        TlsRptRecord record = found.record();
        if (!record.skipped().isEmpty() || !record.notes().isEmpty()) {
            return Optional.of(what + "skipped " + record.skipped() + ", notes " + messages(record.notes()));
        }
        return new HashSet<>(record.rua()).equals(new HashSet<>(plan.rua()))
                ? Optional.empty()
                : Optional.of(what + "rua reads as " + record.rua() + ", planned " + plan.rua());
    }

    private static Optional<String> policy(Plan plan) {
        String what = "generated policy file does not parse: ";
        ParseResult parsed = PolicyParser.parse(plan.policyText());
        if (parsed instanceof ParseResult.Invalid invalid) {
            return Optional.of(what + invalid.reason());
        }
        PolicyDocument document = ((ParseResult.Valid) parsed).document();
        if (!document.notes().isEmpty() || !document.extensions().isEmpty()) {
            return Optional.of(what + messages(document.notes()) + " " + document.extensions());
        }
        boolean same = document.mode() == plan.mode()
                && document.mx().equals(plan.mx())
                && document.maxAgeSeconds() == plan.maxAgeSeconds();
        return same
                ? Optional.empty()
                : Optional.of(what + "it reads as mode " + document.mode().token() + ", mx " + document.mx()
                        + ", max_age " + document.maxAgeSeconds());
    }

    private static Optional<String> mtaSts(Plan plan) {
        String what = "generated " + plan.mtaSts().name() + " record does not parse: ";
        String value = plan.mtaSts().value();
        if (!StsRecordParser.isStsRecord(value)) {
            return Optional.of(what + "it is not a v=STSv1 record");
        }
        StsRecordParser.Result parsed = StsRecordParser.parse(value);
        if (parsed instanceof StsRecordParser.Result.Invalid invalid) {
            return Optional.of(what + invalid.reason());
        }
        StsRecord record = ((StsRecordParser.Result.Valid) parsed).record();
        if (!record.notes().isEmpty() || !record.extensions().isEmpty()) {
            return Optional.of(what + messages(record.notes()) + " " + record.extensions());
        }
        return record.id().equals(plan.id())
                ? Optional.empty()
                : Optional.of(what + "id reads as " + record.id() + ", planned " + plan.id());
    }

    private static List<String> messages(List<ParseNote> notes) {
        return notes.stream().map(ParseNote::message).toList();
    }
}
