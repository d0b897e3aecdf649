package org.stsrelay.dane;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

class TlsaParseFuzzTest {

    /** A decimal 0 to 255 without leading zeros, as {@link TlsaRecord#presentation()} writes it. */
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";

    /**
     * RFC 6698 §2.2, RFC 8460 §4.5: the parser never throws; what it accepts presents as four single-spaced
     * fields with lower-case hex data, and the presentation parses back to the same record.
     */
    @FuzzTest(maxDuration = "10s")
    void acceptsOnlyWhatPresentsAndParsesBack(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        TlsaParse parsed = TlsaRecord.parse(text);
        if (parsed instanceof TlsaParse.Parsed ok) {
            String presentation = ok.record().presentation();
            assertThat(presentation).matches(OCTET + " " + OCTET + " " + OCTET + " ([0-9a-f]{2})+");
            assertThat(TlsaRecord.parse(presentation)).isEqualTo(parsed);
            assertThat(ok.record().data()).isNotEmpty();
        } else {
            TlsaParse.Invalid invalid = (TlsaParse.Invalid) parsed;
            assertThat(invalid.reason()).isNotBlank();
            assertThat(invalid.text()).isEqualTo(text);
        }
    }
}
