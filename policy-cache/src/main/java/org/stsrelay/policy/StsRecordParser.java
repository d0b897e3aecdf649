package org.stsrelay.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses {@code _mta-sts} TXT records (RFC 8461 §3.1); never throws on any input. */
public final class StsRecordParser {

    /** The outcome of parsing one TXT record: a record, or why it is invalid. */
    public sealed interface Result {
        /** The record is valid. */
        record Valid(StsRecord record) implements Result {}

        /** The record starts with {@code v=STSv1;} but breaks the grammar. */
        record Invalid(String reason) implements Result {}
    }

    private static final String VERSION = "v=STSv1";
    private static final int MAX_ID = 32;

    private StsRecordParser() {}

    /**
     * Tells whether a TXT string is an MTA-STS record at all: RFC 8461 §3.1 discards every other one before the
     * records are counted. Following the ABNF (erratum 6285), whitespace may stand between {@code v=STSv1} and
     * {@code ;}; a bare {@code v=STSv1} is not a record.
     */
    public static boolean isStsRecord(String txt) {
        return FieldSyntax.beginsWithVersion(txt, VERSION);
    }

    /** Parses a TXT string that {@link #isStsRecord} accepted. */
    public static Result parse(String txt) {
        FieldSyntax.Split split = FieldSyntax.splitRecord(txt, VERSION);
        if (split instanceof FieldSyntax.Split.Malformed malformed) {
            return new Result.Invalid(malformed.reason());
        }
        FieldSyntax.Split.Fields fields = (FieldSyntax.Split.Fields) split;
        List<ParseNote> notes = new ArrayList<>();
        if (fields.spaceBeforeDelimiter()) {
            notes.add(new ParseNote(
                    ParseNote.Kind.SPACE_BEFORE_DELIMITER,
                    "whitespace between v=STSv1 and \";\": "
                            + "the RFC 8461 §3.1 ABNF allows it, but senders that follow its prose (records that do not "
                            + "begin with \"v=STSv1;\" are discarded) see no record; write \"v=STSv1;\""));
        }
        String id = null;
        Map<String, String> extensions = new LinkedHashMap<>();
        for (FieldSyntax.Field field : fields.fields()) {
            if (field.name().equals("id") && id == null) {
                // RFC 8461 §3.1: sts-id = %s"id=" 1*32(ALPHA / DIGIT); strict, as the id is compared for equality.
                if (!isId(field.value())) {
                    return new Result.Invalid("id \"" + field.value() + "\" is not 1 to 32 letters and digits");
                }
                id = field.value();
            } else if (!FieldSyntax.isFieldName(field.name()) || !FieldSyntax.isExtensionValue(field.value())) {
                return new Result.Invalid("field \"" + field.name() + "=" + field.value() + "\" breaks the grammar");
            } else {
                String kept = switch (field.name()) {
                    case "id" -> id;
                    case "v" -> "STSv1";
                    default -> extensions.putIfAbsent(field.name(), field.value());
                };
                if (kept != null) {
                    notes.add(duplicate(field, kept));
                }
            }
        }
        if (id == null) {
            return new Result.Invalid("no id field");
        }
        return new Result.Valid(new StsRecord(id, extensions, notes, txt));
    }

    // RFC 8461 §3.2, for "TXT records and policy files": "all entries except for the first SHALL be ignored".
    private static ParseNote duplicate(FieldSyntax.Field field, String kept) {
        return new ParseNote(
                ParseNote.Kind.DUPLICATE_FIELD,
                "field " + field.name() + " appears more than once: "
                        + field.name() + "=" + kept + " is used and " + field.name() + "=" + field.value()
                        + " is ignored (RFC 8461 §3.2: the first entry wins); publish it once");
    }

    static boolean isId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (!FieldSyntax.isAlphanumeric(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
