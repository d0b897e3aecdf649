package org.stsrelay.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.regex.Pattern;

class StsRecordParserFuzzTest {

    private static final Pattern RECORD_START = Pattern.compile("v=STSv1[ \\t]*;.*", Pattern.DOTALL);

    /** RFC 8461 §3.1: the parser never throws, and whatever it accepts satisfies the record grammar's invariants. */
    @FuzzTest(maxDuration = "10s")
    void parserNeverThrowsAndAcceptsOnlyRecords(FuzzedDataProvider data) {
        String txt = data.consumeRemainingAsString();
        boolean isRecord = StsRecordParser.isStsRecord(txt);
        assertThat(isRecord).isEqualTo(RECORD_START.matcher(txt).matches());
        StsRecordParser.Result result = StsRecordParser.parse(txt);
        if (result instanceof StsRecordParser.Result.Valid valid) {
            StsRecord record = valid.record();
            assertThat(isRecord).isTrue();
            assertThat(record.text()).isEqualTo(txt);
            assertThat(txt.chars().allMatch(c -> c < 0x80)).isTrue();
            assertThat(record.id()).matches("[A-Za-z0-9]{1,32}");
            // RFC 8461 §3.2: of several id fields, the first one is the id.
            assertThat(firstId(txt)).isEqualTo(record.id());
            record.extensions().forEach((name, value) -> {
                assertThat(FieldSyntax.isFieldName(name)).isTrue();
                assertThat(FieldSyntax.isExtensionValue(value)).isTrue();
                assertThat(name).isNotIn("id", "v");
            });
        } else {
            assertThat(((StsRecordParser.Result.Invalid) result).reason()).isNotBlank();
        }
    }

    // An oracle written apart from the parser: the value of the first "id=" field after the version.
    private static String firstId(String txt) {
        String[] fields = txt.split(";", -1);
        for (int i = 1; i < fields.length; i++) {
            String field = fields[i].replaceAll("^[ \\t]+|[ \\t]+$", "");
            if (field.startsWith("id=")) {
                return field.substring(3);
            }
        }
        return null;
    }
}
