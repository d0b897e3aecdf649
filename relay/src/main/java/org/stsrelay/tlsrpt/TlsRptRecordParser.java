package org.stsrelay.tlsrpt;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.stsrelay.policy.FieldSyntax;
import org.stsrelay.policy.ParseNote;

/** Parses and selects {@code _smtp._tls} TXT records (RFC 8460 §3); never throws on any input. */
public final class TlsRptRecordParser {

    /** The outcome of parsing one record: a record, or why it is not one. */
    public sealed interface Result {
        /** The record is valid and names at least one usable reporting URI. */
        record Valid(TlsRptRecord record) implements Result {}

        /** The record breaks the grammar or has no usable rua; the domain then has no TLS-RPT. */
        record Invalid(String reason) implements Result {}
    }

    /** The outcome of choosing the domain's record among every TXT record at {@code _smtp._tls.<domain>}. */
    public sealed interface Selection {
        /** Exactly one {@code v=TLSRPTv1} record, and it is valid. */
        record Found(TlsRptRecord record) implements Selection {}

        /** No TXT record begins with {@code v=TLSRPTv1;}; {@code others} are the ones that were discarded. */
        record NoRecord(List<String> others) implements Selection {
            /** Copies the list. */
            public NoRecord {
                others = List.copyOf(others);
            }
        }

        /** More than one {@code v=TLSRPTv1} record: the domain does not implement TLS-RPT. */
        record SeveralRecords(List<String> records) implements Selection {
            /** Copies the list. */
            public SeveralRecords {
                records = List.copyOf(records);
            }
        }

        /** One {@code v=TLSRPTv1} record that is invalid: the domain does not implement TLS-RPT. */
        record InvalidRecord(String record, String reason) implements Selection {}
    }

    private static final String VERSION = "v=TLSRPTv1";

    private TlsRptRecordParser() {}

    /**
     * Chooses the reporting record among {@code txtRecords} (RFC 8460 §3): records not beginning with
     * {@code v=TLSRPTv1;} are discarded, and anything but exactly one valid record means no TLS-RPT.
     */
    public static Selection select(List<String> txtRecords) {
        List<String> candidates =
                txtRecords.stream().filter(TlsRptRecordParser::isTlsRptRecord).toList();
        if (candidates.isEmpty()) {
            return new Selection.NoRecord(txtRecords);
        }
        if (candidates.size() > 1) {
            return new Selection.SeveralRecords(candidates);
        }
        Result parsed = parse(candidates.get(0));
        if (parsed instanceof Result.Valid valid) {
            return new Selection.Found(valid.record());
        }
        return new Selection.InvalidRecord(candidates.get(0), ((Result.Invalid) parsed).reason());
    }

    /**
     * Tells whether a TXT string is a TLS-RPT record at all: {@code v=TLSRPTv1}, optional whitespace, then {@code ;}
     * (RFC 8460 §3 discards every other string before counting; a bare {@code v=TLSRPTv1} is not a record).
     */
    public static boolean isTlsRptRecord(String txt) {
        return FieldSyntax.beginsWithVersion(txt, VERSION);
    }

    /** Parses one TXT string, its strings already concatenated without spaces (RFC 8460 §3). */
    public static Result parse(String txt) {
        FieldSyntax.Split split = FieldSyntax.splitRecord(txt, VERSION);
        if (split instanceof FieldSyntax.Split.Malformed malformed) {
            return new Result.Invalid(malformed.reason());
        }
        FieldSyntax.Split.Fields fields = (FieldSyntax.Split.Fields) split;
        Fields collected = new Fields(fields.spaceBeforeDelimiter());
        for (FieldSyntax.Field field : fields.fields()) {
            String error = collected.accept(field);
            if (error != null) {
                return new Result.Invalid(error);
            }
        }
        return collected.finish(txt);
    }

    /** Collects the fields of one record. */
    private static final class Fields {
        private final List<String> rua = new ArrayList<>();
        private final Map<String, String> extensions = new LinkedHashMap<>();
        private final List<ParseNote> notes = new ArrayList<>();

        Fields(boolean spaceBeforeDelimiter) {
            if (spaceBeforeDelimiter) {
                notes.add(
                        new ParseNote(
                                ParseNote.Kind.SPACE_BEFORE_DELIMITER,
                                "whitespace between v=TLSRPTv1 and "
                                        + "\";\": the RFC 8460 §3 ABNF allows it, but senders that follow its prose (records that do "
                                        + "not begin with \"v=TLSRPTv1;\" are discarded) see no record; write \"v=TLSRPTv1;\""));
            }
        }

        String accept(FieldSyntax.Field field) {
            if (field.name().equals("rua")) {
                rua.add(field.value());
                return null;
            }
            if (!FieldSyntax.isFieldName(field.name()) || !FieldSyntax.isExtensionValue(field.value())) {
                return "field \"" + field.name() + "=" + field.value() + "\" breaks the grammar";
            }
            // RFC 8460 §3 says nothing of repeated fields; they are read as RFC 8461 §3.2 reads the STS record's:
            // the first entry wins.
            String kept = field.name().equals("v") ? "TLSRPTv1" : extensions.putIfAbsent(field.name(), field.value());
            if (kept != null) {
                notes.add(new ParseNote(
                        ParseNote.Kind.DUPLICATE_FIELD,
                        "field " + field.name()
                                + " appears more than once: " + field.name() + "=" + kept + " is used and "
                                + field.name()
                                + "=" + field.value() + " is ignored; publish it once"));
            }
            return null;
        }

        Result finish(String txt) {
            if (rua.isEmpty()) {
                return new Result.Invalid("no rua field (RFC 8460 §3: rua is required)");
            }
            if (rua.size() > 1) {
                // Two rua fields have one clear reading, "report to all of these"; a sender fails open, so use all.
                notes.add(new ParseNote(
                        ParseNote.Kind.SEVERAL_RUA_FIELDS,
                        rua.size() + " rua fields: reports go "
                                + "to the URIs of every one, but the RFC 8460 §3 ABNF has one rua with a comma-separated "
                                + "list, and other senders may use only one field; write rua="
                                + String.join(",", rua)));
            }
            Set<URI> usable = new LinkedHashSet<>();
            List<String> skipped = new ArrayList<>();
            // RFC 8460 §3: tlsrpt-rua = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri).
            for (String part : String.join(",", rua).split(",", -1)) {
                String text = FieldSyntax.trimWsp(part);
                String problem = uriProblem(text);
                if (problem == null) {
                    usable.add(URI.create(text));
                } else {
                    skipped.add(problem);
                }
            }
            if (usable.isEmpty()) {
                return new Result.Invalid("no usable rua URI: " + String.join("; ", skipped));
            }
            return new Result.Valid(new TlsRptRecord(List.copyOf(usable), skipped, extensions, notes, txt));
        }
    }

    // RFC 8460 §3: only "mailto:" and "https:" are defined; an entry without a scheme is a common mistake.
    private static String uriProblem(String text) {
        if (text.isEmpty()) {
            return "an empty rua entry";
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException malformed) {
            return "\"" + text + "\" is not a URI (" + malformed.getReason() + ")";
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null) {
            return "\"" + text + "\" has no scheme (write mailto:" + text + " or an https: URL)";
        }
        if (scheme.equals("mailto")) {
            String address = uri.getSchemeSpecificPart();
            int at = address == null ? -1 : address.indexOf('@');
            return at > 0 && at < address.length() - 1 ? null : "\"" + text + "\" has no mail address";
        }
        if (scheme.equals("https")) {
            return uri.getHost() == null ? "\"" + text + "\" has no host" : null;
        }
        return "\"" + text + "\" uses " + scheme + ": (only mailto: and https: are defined)";
    }
}
