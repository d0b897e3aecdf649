package org.stsrelay.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TlsRptRecordParserTest {

    static Stream<Arguments> validRecords() {
        return Stream.of(
                Arguments.of("RFC 8460 §3: mailto rua", "v=TLSRPTv1; rua=mailto:tlsrpt@example.com",
                        List.of("mailto:tlsrpt@example.com"), 0),
                Arguments.of("RFC 8460 §3: https rua", "v=TLSRPTv1;rua=https://reports.example.com/v1/tlsrpt",
                        List.of("https://reports.example.com/v1/tlsrpt"), 0),
                Arguments.of("RFC 8460 §3: several URIs, WSP around the comma",
                        "v=TLSRPTv1; rua=mailto:a@example.com , https://r.example.com/x",
                        List.of("mailto:a@example.com", "https://r.example.com/x"), 0),
                Arguments.of("RFC 8460 §3: one trailing field delimiter", "v=TLSRPTv1; rua=mailto:a@example.com;",
                        List.of("mailto:a@example.com"), 0),
                Arguments.of("RFC 8460 §3: unknown fields ignored", "v=TLSRPTv1; x-note=hello; rua=mailto:a@example.com",
                        List.of("mailto:a@example.com"), 0),
                Arguments.of("RFC 8460 §3 (L4): other schemes are skipped, not fatal",
                        "v=TLSRPTv1; rua=ftp://x.example.com/r,mailto:a@example.com",
                        List.of("mailto:a@example.com"), 1),
                Arguments.of("RFC 8460 §3 (pitfall 15): an address without a scheme is skipped",
                        "v=TLSRPTv1; rua=postmaster@example.com,mailto:a@example.com",
                        List.of("mailto:a@example.com"), 1),
                Arguments.of("RFC 8460 §3: a malformed URI is skipped", "v=TLSRPTv1; rua=https://bad host/,mailto:a@example.com",
                        List.of("mailto:a@example.com"), 1),
                Arguments.of("RFC 8460 §3: mailto with percent-encoded comma", "v=TLSRPTv1; rua=mailto:a%2Cb@example.com",
                        List.of("mailto:a%2Cb@example.com"), 0));
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
                Arguments.of("RFC 8460 §3: version alone", "v=TLSRPTv1", "no rua field"),
                Arguments.of("RFC 8460 §3: wrong version", "v=TLSRPTv2; rua=mailto:a@example.com", "v=TLSRPTv1"),
                Arguments.of("RFC 8460 §3: version is case-sensitive", "v=tlsrptv1; rua=mailto:a@example.com", "v=TLSRPTv1"),
                Arguments.of("RFC 8460 §3 (L4): no usable scheme", "v=TLSRPTv1; rua=http://r.example.com/", "no usable rua"),
                Arguments.of("RFC 8460 §3: mailto without an address", "v=TLSRPTv1; rua=mailto:", "no usable rua"),
                Arguments.of("RFC 8460 §3: empty rua", "v=TLSRPTv1; rua=", "no usable rua"),
                Arguments.of("RFC 8460 §3: field without =", "v=TLSRPTv1; rua=mailto:a@example.com; junk", "not name=value"),
                Arguments.of("RFC 8460 §3: empty field between delimiters", "v=TLSRPTv1;; rua=mailto:a@example.com",
                        "not name=value"),
                Arguments.of("RFC 8460 §3: extension value with a space", "v=TLSRPTv1; x=a b; rua=mailto:a@example.com",
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

    @Test
    @DisplayName("RFC 8460 §3: records not beginning with v=TLSRPTv1 are discarded before counting")
    void selectionDiscardsOtherRecords() {
        assertThat(TlsRptRecordParser.select(List.of("google-site-verification=abc", "v=TLSRPTv1; rua=mailto:a@example.com")))
                .isInstanceOf(TlsRptRecordParser.Selection.Found.class);
        assertThat(TlsRptRecordParser.select(List.of("v=spf1 -all")))
                .isEqualTo(new TlsRptRecordParser.Selection.NoRecord(List.of("v=spf1 -all")));
        assertThat(TlsRptRecordParser.select(List.of()))
                .isEqualTo(new TlsRptRecordParser.Selection.NoRecord(List.of()));
    }

    @Test
    @DisplayName("RFC 8460 §3: not exactly one record means the domain does not implement TLS-RPT")
    void severalRecordsAreRefused() {
        assertThat(TlsRptRecordParser.select(List.of("v=TLSRPTv1; rua=mailto:a@example.com",
                "v=TLSRPTv1; rua=mailto:b@example.com"))).isInstanceOf(TlsRptRecordParser.Selection.SeveralRecords.class);
        assertThat(TlsRptRecordParser.select(List.of("v=TLSRPTv1; rua=ftp://x.example.com/")))
                .isInstanceOf(TlsRptRecordParser.Selection.InvalidRecord.class);
    }

    @Test
    @DisplayName("RFC 8460 §3: a second rua field is noted and ignored")
    void secondRuaIsNoted() {
        TlsRptRecord record = ((TlsRptRecordParser.Result.Valid) TlsRptRecordParser.parse(
                "v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com")).record();
        assertThat(record.rua()).extracting(URI::toString).containsExactly("mailto:a@example.com");
        assertThat(record.notes()).singleElement().asString().contains("second rua");
    }
}
