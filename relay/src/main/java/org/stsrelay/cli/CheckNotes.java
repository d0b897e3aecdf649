package org.stsrelay.cli;

import java.util.List;
import java.util.function.Predicate;
import org.stsrelay.policy.ParseNote;

/**
 * The strict half of "lenient parse, strict check": one {@code check} item per thing a parser tolerated, so a
 * sloppy but clear record or policy still protects its domain and the owner still learns every flaw.
 */
final class CheckNotes {

    private CheckNotes() {}

    /** One item per note, under {@code topic}, each summary starting with {@code subject}. */
    static List<CheckItem> items(String topic, String subject, List<ParseNote> notes) {
        return notes.stream()
                .map(note -> CheckItem.of(verdict(note), topic, subject + ": " + note.message()))
                .toList();
    }

    // A max_age above one year is clamped here, but other senders discard the policy: the domain loses protection.
    private static CheckVerdict verdict(ParseNote note) {
        return note.kind() == ParseNote.Kind.MAX_AGE_ABOVE_LIMIT ? CheckVerdict.FAIL : CheckVerdict.WARN;
    }

    /**
     * One item per TXT string that opens with {@code version} but is not a record, because no {@code ;} follows
     * it (RFC 8461 §3.1, RFC 8460 §3: such strings are discarded before the records are counted).
     */
    static List<CheckItem> discarded(
            String topic, String subject, String version, List<String> txtRecords, Predicate<String> isRecord) {
        return txtRecords.stream()
                .filter(txt -> txt.startsWith(version) && !isRecord.test(txt))
                .map(txt -> CheckItem.of(
                        CheckVerdict.WARN,
                        topic,
                        subject + ": \"" + txt + "\" is not a record, " + "because no \";\" follows " + version
                                + "; senders discard it before counting records"))
                .toList();
    }
}
