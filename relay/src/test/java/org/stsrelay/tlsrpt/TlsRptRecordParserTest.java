package org.stsrelay.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stsrelay.policy.ParseNote;

class TlsRptRecordParserTest {

    static Stream<Arguments> validRecords() {
        return Stream.of(
                Arguments.of(
                        "RFC 8460 §3: mailto rua",
                        "v=TLSRPTv1; rua=mailto:tlsrpt@example.com",
                        List.of("mailto:tlsrpt@example.com"),
                        0),
                Arguments.of(
                        "RFC 8460 §3: https rua",
                        "v=TLSRPTv1;rua=https://reports.example.com/v1/tlsrpt",
                        List.of("https://reports.example.com/v1/tlsrpt"),
                        0),
                Arguments.of(
                        "RFC 8460 §3: several URIs, WSP around the comma",
                        "v=TLSRPTv1; rua=mailto:a@example.com , https://r.example.com/x",
                        List.of("mailto:a@example.com", "https://r.example.com/x"),
                        0),
                Arguments.of(
                        "RFC 8460 §3: one trailing field delimiter",
                        "v=TLSRPTv1; rua=mailto:a@example.com;",
                        List.of("mailto:a@example.com"),
                        0),
                Arguments.of(
                        "RFC 8460 §3: unknown fields ignored",
                        "v=TLSRPTv1; x-note=hello; rua=mailto:a@example.com",
                        List.of("mailto:a@example.com"),
                        0),
                Arguments.of(
                        "RFC 8460 §3: other schemes are skipped, not fatal",
                        "v=TLSRPTv1; rua=ftp://x.example.com/r,mailto:a@example.com",
                        List.of("mailto:a@example.com"),
                        1),
                Arguments.of(
                        "RFC 8460 §3 (pitfall 15): an address without a scheme is skipped",
                        "v=TLSRPTv1; rua=postmaster@example.com,mailto:a@example.com",
                        List.of("mailto:a@example.com"),
                        1),
                Arguments.of(
                        "RFC 8460 §3: a malformed URI is skipped",
                        "v=TLSRPTv1; rua=https://bad host/,mailto:a@example.com",
                        List.of("mailto:a@example.com"),
                        1),
                Arguments.of(
                        "RFC 8460 §3: mailto with percent-encoded comma",
                        "v=TLSRPTv1; rua=mailto:a%2Cb@example.com",
                        List.of("mailto:a%2Cb@example.com"),
                        0),
                Arguments.of(
                        "RFC 8460 §3 field-delim = *WSP \";\" *WSP: WSP before ';'",
                        "v=TLSRPTv1 ; rua=mailto:a@example.com",
                        List.of("mailto:a@example.com"),
                        0),
                Arguments.of(
                        "RFC 8460 §3 (\"MAY attempt to deliver to each\"): two rua fields, both used",
                        "v=TLSRPTv1; rua=mailto:a@x.example; rua=https://y.example/r",
                        List.of("mailto:a@x.example", "https://y.example/r"),
                        0),
                Arguments.of(
                        "RFC 8460 §3: a URI in both rua fields is used once",
                        "v=TLSRPTv1; rua=mailto:a@x.example; rua=mailto:a@x.example,mailto:b@x.example",
                        List.of("mailto:a@x.example", "mailto:b@x.example"),
                        0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validRecords")
    @DisplayName("RFC 8460 §3: valid records")
    void acceptsValidRecords(String name, String txt, List<String> rua, int skipped) {
        TlsRptRecordParser.Result result = TlsRptRecordParser.parse(txt);
        assertThat(result).isInstanceOf(TlsRptRecordParser.Result.Valid.class);
        TlsRptRecord record = ((TlsRptRecordParser.Result.Valid) result).record();
        assertThat(record.rua()).extracting(URI::toString).containsExactlyElementsOf(rua);
        assertThat(record.skipped()).hasSize(skipped);
        assertThat(record.text()).isEqualTo(txt);
    }

    static Stream<Arguments> invalidRecords() {
        return Stream.of(
                Arguments.of("RFC 8460 §3: rua is required", "v=TLSRPTv1;", "no rua field"),
                Arguments.of("RFC 8460 §3: version and WSP only", "v=TLSRPTv1 ; ", "no rua field"),
                Arguments.of("RFC 8460 §3: a bare version is not a record", "v=TLSRPTv1", "does not begin with"),
                Arguments.of("RFC 8460 §3: wrong version", "v=TLSRPTv2; rua=mailto:a@example.com", "v=TLSRPTv1"),
                Arguments.of(
                        "RFC 8460 §3: version is case-sensitive", "v=tlsrptv1; rua=mailto:a@example.com", "v=TLSRPTv1"),
                Arguments.of("RFC 8460 §3: no usable scheme", "v=TLSRPTv1; rua=http://r.example.com/", "no usable rua"),
                Arguments.of("RFC 8460 §3: mailto without an address", "v=TLSRPTv1; rua=mailto:", "no usable rua"),
                Arguments.of("RFC 8460 §3: empty rua", "v=TLSRPTv1; rua=", "no usable rua"),
                Arguments.of(
                        "RFC 8460 §3: field without =", "v=TLSRPTv1; rua=mailto:a@example.com; junk", "not name=value"),
                Arguments.of(
                        "RFC 8460 §3: empty field between delimiters",
                        "v=TLSRPTv1;; rua=mailto:a@example.com",
                        "empty field"),
                Arguments.of(
                        "RFC 8460 §3: extension value with a space",
                        "v=TLSRPTv1; x=a b; rua=mailto:a@example.com",
                        "breaks the grammar"),
                Arguments.of("RFC 8460 §3: not US-ASCII", "v=TLSRPTv1; rua=mailto:ä@example.com", "US-ASCII"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRecords")
    @DisplayName("RFC 8460 §3: invalid records are rejected with a reason")
    void rejectsInvalidRecords(String name, String txt, String reason) {
        TlsRptRecordParser.Result result = TlsRptRecordParser.parse(txt);
        assertThat(result).isInstanceOf(TlsRptRecordParser.Result.Invalid.class);
        assertThat(((TlsRptRecordParser.Result.Invalid) result).reason()).contains(reason);
    }

    static Stream<Arguments> notedRecords() {
        return Stream.of(
                Arguments.of(
                        "RFC 8460 §3: several rua fields are all used, and noted",
                        "v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com",
                        List.of(ParseNote.Kind.SEVERAL_RUA_FIELDS)),
                Arguments.of(
                        "RFC 8460 §3 \"v=TLSRPTv1;\": WSP before ';' is read, and noted",
                        "v=TLSRPTv1\t; rua=mailto:a@example.com",
                        List.of(ParseNote.Kind.SPACE_BEFORE_DELIMITER)),
                Arguments.of(
                        "a repeated extension keeps its first value, and is noted",
                        "v=TLSRPTv1; x=1; rua=mailto:a@example.com; x=2",
                        List.of(ParseNote.Kind.DUPLICATE_FIELD)),
                Arguments.of("a clean record has no notes", "v=TLSRPTv1; rua=mailto:a@example.com", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notedRecords")
    @DisplayName("RFC 8460 §3: what the parser tolerated is noted for check")
    void notesWhatWasTolerated(String name, String txt, List<ParseNote.Kind> notes) {
        TlsRptRecord record = ((TlsRptRecordParser.Result.Valid) TlsRptRecordParser.parse(txt)).record();
        assertThat(record.notes()).extracting(ParseNote::kind).containsExactlyElementsOf(notes);
    }

    static Stream<Arguments> rrsets() {
        return Stream.of(
                Arguments.of(
                        "other records are discarded",
                        List.of("google-site-verification=abc", "v=TLSRPTv1; rua=mailto:a@example.com"),
                        "mailto:a@example.com"),
                Arguments.of(
                        "a bare v=TLSRPTv1 is discarded before counting",
                        List.of("v=TLSRPTv1", "v=TLSRPTv1; rua=mailto:a@example.com"),
                        "mailto:a@example.com"),
                Arguments.of(
                        "v=TLSRPTv1 and a field without ';' is discarded before counting",
                        List.of("v=TLSRPTv1 rua=mailto:b@example.com", "v=TLSRPTv1;rua=mailto:a@example.com"),
                        "mailto:a@example.com"),
                Arguments.of(
                        "only a bare v=TLSRPTv1 leaves no record",
                        List.of("v=TLSRPTv1"),
                        TlsRptRecordParser.Selection.NoRecord.class),
                Arguments.of("no TXT record at all", List.of(), TlsRptRecordParser.Selection.NoRecord.class),
                Arguments.of(
                        "two records: none is used",
                        List.of("v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1 ; rua=mailto:b@example.com"),
                        TlsRptRecordParser.Selection.SeveralRecords.class),
                Arguments.of(
                        "one invalid record",
                        List.of("v=TLSRPTv1; rua=ftp://x.example.com/"),
                        TlsRptRecordParser.Selection.InvalidRecord.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rrsets")
    @DisplayName(
            "RFC 8460 §3: strings not beginning with \"v=TLSRPTv1;\" are discarded, then exactly one record counts")
    void selectsAfterDiscarding(String name, List<String> records, Object expected) {
        TlsRptRecordParser.Selection selection = TlsRptRecordParser.select(records);
        if (expected instanceof String rua) {
            assertThat(((TlsRptRecordParser.Selection.Found) selection).record().rua())
                    .extracting(URI::toString)
                    .containsExactly(rua);
        } else {
            assertThat(selection).isInstanceOf((Class<?>) expected);
        }
    }
}
