package org.stsrelay.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.stsrelay.policy.FieldSyntax;
import org.stsrelay.policy.ParseNote;

class TlsRptRecordParserFuzzTest {

    private static final Pattern RECORD_START = Pattern.compile("v=TLSRPTv1[ \\t]*;.*", Pattern.DOTALL);

    /** RFC 8460 §3: the parser never throws, and whatever it accepts satisfies the record grammar's invariants. */
    @FuzzTest(maxDuration = "10s")
    void parserNeverThrowsAndAcceptsOnlyRecords(FuzzedDataProvider data) {
        String txt = data.consumeRemainingAsString();
        boolean isRecord = TlsRptRecordParser.isTlsRptRecord(txt);
        assertThat(isRecord).isEqualTo(RECORD_START.matcher(txt).matches());
        TlsRptRecordParser.Result result = TlsRptRecordParser.parse(txt);
        if (result instanceof TlsRptRecordParser.Result.Valid valid) {
            TlsRptRecord record = valid.record();
            assertThat(isRecord).isTrue();
            assertThat(record.text()).isEqualTo(txt);
            assertThat(txt.chars().allMatch(c -> c < 0x80)).isTrue();
            assertThat(record.rua()).isNotEmpty().doesNotHaveDuplicates();
            for (URI rua : record.rua()) {
                assertThat(rua.getScheme().toLowerCase(Locale.ROOT)).isIn("mailto", "https");
                assertThat(txt).contains(rua.toString());
            }
            // RFC 8460 §3: every rua field is used; more than one is noted for check.
            assertThat(record.notes().stream().anyMatch(n -> n.kind() == ParseNote.Kind.SEVERAL_RUA_FIELDS))
                    .isEqualTo(ruaFields(txt) > 1);
            record.extensions().forEach((name, value) -> {
                assertThat(FieldSyntax.isFieldName(name)).isTrue();
                assertThat(FieldSyntax.isExtensionValue(value)).isTrue();
            });
        } else {
            assertThat(((TlsRptRecordParser.Result.Invalid) result).reason()).isNotBlank();
        }
        // RFC 8460 §3: two copies of one record are never a record to report to.
        TlsRptRecordParser.Selection twice = TlsRptRecordParser.select(List.of(txt, txt));
        assertThat(twice instanceof TlsRptRecordParser.Selection.SeveralRecords).isEqualTo(isRecord);
    }

    // An oracle written apart from the parser: the number of "rua=" fields after the version.
    private static long ruaFields(String txt) {
        String[] fields = txt.split(";", -1);
        long count = 0;
        for (int i = 1; i < fields.length; i++) {
            if (fields[i].replaceAll("^[ \\t]+", "").startsWith("rua=")) {
                count++;
            }
        }
        return count;
    }
}
