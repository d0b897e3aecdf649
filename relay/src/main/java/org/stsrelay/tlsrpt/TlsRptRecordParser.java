package org.stsrelay.tlsrpt;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Parses and selects {@code _smtp._tls} TXT records (RFC 8460 §3); never throws on any input. */
public final class TlsRptRecordParser {

    /** The outcome of parsing one record: a record, or why it is not one. */
    public sealed interface Result {
        /** The record is valid and names at least one usable reporting URI. */
        record Valid(TlsRptRecord record) implements Result {
        }

        /** The record breaks the grammar or has no usable rua; the domain then has no TLS-RPT. */
        record Invalid(String reason) implements Result {
        }
    }

    /** The outcome of choosing the domain's record among every TXT record at {@code _smtp._tls.<domain>}. */
    public sealed interface Selection {
        /** Exactly one {@code v=TLSRPTv1} record, and it is valid. */
        record Found(TlsRptRecord record) implements Selection {
        }

        /** No TXT record begins with {@code v=TLSRPTv1}; {@code others} are the ones that were discarded. */
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
        record InvalidRecord(String record, String reason) implements Selection {
        }
    }

    private static final String VERSION = "v=TLSRPTv1";
    private static final int MAX_EXT_NAME = 32;

    private TlsRptRecordParser() {
    }

    /**
     * Chooses the reporting record among {@code txtRecords} (RFC 8460 §3): records not beginning with
     * {@code v=TLSRPTv1} are discarded, and anything but exactly one valid record means no TLS-RPT.
     */
    public static Selection select(List<String> txtRecords) {
        List<String> candidates = txtRecords.stream().filter(TlsRptRecordParser::isTlsRptRecord).toList();
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

    /** Tells whether a TXT string claims to be a TLS-RPT record: {@code v=TLSRPTv1}, then {@code ;} or its end. */
    public static boolean isTlsRptRecord(String txt) {
        if (!txt.startsWith(VERSION)) {
            return false;
        }
        int i = VERSION.length();
        while (i < txt.length() && isWsp(txt.charAt(i))) {
            i++;
        }
        return i == txt.length() || txt.charAt(i) == ';';
    }

    /** Parses one TXT string, its strings already concatenated without spaces (RFC 8460 §3). */
    public static Result parse(String txt) {
        if (!isTlsRptRecord(txt)) {
            return new Result.Invalid("does not begin with v=TLSRPTv1");
        }
        if (!txt.chars().allMatch(c -> c < 0x80)) {
            return new Result.Invalid("not US-ASCII");
        }
        String[] fields = txt.split(";", -1);
        Fields collected = new Fields();
        for (int i = 1; i < fields.length; i++) {
            String field = trimWsp(fields[i]);
            // RFC 8460 §3: tlsrpt-record = tlsrpt-version 1*(field-delim tlsrpt-field) [field-delim].
            if (field.isEmpty() && i == fields.length - 1) {
                break;
            }
            String error = collected.accept(field);
            if (error != null) {
                return new Result.Invalid(error);
            }
        }
        return collected.finish(txt);
    }

    /** Collects the fields of one record. */
    private static final class Fields {
        private String rua;
        private final Map<String, String> extensions = new LinkedHashMap<>();
        private final List<String> notes = new ArrayList<>();

        String accept(String field) {
            int equals = field.indexOf('=');
            if (equals <= 0) {
                return "field \"" + field + "\" is not name=value";
            }
            String name = field.substring(0, equals);
            String value = field.substring(equals + 1);
            if (name.equals("rua")) {
                if (rua != null) {
                    notes.add("a second rua field is ignored: " + value);
                } else {
                    rua = value;
                }
                return null;
            }
            if (!isExtensionName(name) || !isExtensionValue(value)) {
                return "field \"" + field + "\" breaks the grammar";
            }
            extensions.putIfAbsent(name, value);
            return null;
        }

        Result finish(String txt) {
            if (rua == null) {
                return new Result.Invalid("no rua field (RFC 8460 §3: rua is required)");
            }
            List<URI> usable = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            // RFC 8460 §3: tlsrpt-rua = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri).
            for (String part : rua.split(",", -1)) {
                String text = trimWsp(part);
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
            return new Result.Valid(new TlsRptRecord(usable, skipped, extensions, notes, txt));
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

    // RFC 8460 §3: tlsrpt-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".").
    private static boolean isExtensionName(String name) {
        if (name.isEmpty() || name.length() > MAX_EXT_NAME || !isAlphanumeric(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAlphanumeric(c) && c != '_' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    // RFC 8460 §3: tlsrpt-ext-value = 1*(%x21-3A / %x3C / %x3E-7E), so no space, ";" or "=".
    private static boolean isExtensionValue(String value) {
        return !value.isEmpty() && value.chars().allMatch(c -> c >= 0x21 && c <= 0x7e && c != ';' && c != '=');
    }

    private static boolean isAlphanumeric(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    private static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }

    private static String trimWsp(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && isWsp(value.charAt(start))) {
            start++;
        }
        while (end > start && isWsp(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(start, end);
    }
}
