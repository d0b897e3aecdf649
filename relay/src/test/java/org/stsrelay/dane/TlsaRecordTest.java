package org.stsrelay.dane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TlsaRecordTest {

    private static final String SHA256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String SHA512 = SHA256 + SHA256;

    static Stream<Arguments> presentations() {
        return Stream.of(
                Arguments.of("3 1 1 " + SHA256, "3 1 1 " + SHA256),
                Arguments.of("  2 0 2 " + SHA512.toUpperCase() + "  ", "2 0 2 " + SHA512),
                Arguments.of("3 1 1 " + SHA256.substring(0, 32) + " " + SHA256.substring(32), "3 1 1 " + SHA256),
                Arguments.of("3\t0\t0 30820122", "3 0 0 30820122"),
                Arguments.of("1 1 1 " + SHA256, "1 1 1 " + SHA256),
                Arguments.of("255 7 9 00", "255 7 9 00"));
    }

    @ParameterizedTest(name = "RFC 6698 §2.2 / RFC 8460 §4.5: \"{0}\" reads as \"{1}\"")
    @MethodSource("presentations")
    void parsesAndPresents(String text, String presentation) {
        TlsaParse parsed = TlsaRecord.parse(text);

        assertThat(parsed).isInstanceOf(TlsaParse.Parsed.class);
        TlsaRecord record = ((TlsaParse.Parsed) parsed).record();
        assertThat(record.presentation()).isEqualTo(presentation);
        assertThat(TlsaRecord.parse(record.presentation())).isEqualTo(new TlsaParse.Parsed(record));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("", "four fields"),
                Arguments.of("3 1 1", "four fields"),
                Arguments.of("3 1 x " + SHA256, "the matching type \"x\" is not a number from 0 to 255"),
                Arguments.of("256 1 1 " + SHA256, "the usage \"256\" is not a number from 0 to 255"),
                Arguments.of("3 -1 1 " + SHA256, "the selector \"-1\" is not a number"),
                Arguments.of("3 1 1 abc", "not an even number of hex digits"),
                Arguments.of("3 1 1 (" + SHA256 + ")", "not an even number of hex digits"),
                Arguments.of("3 1 1 zz", "not an even number of hex digits"));
    }

    @ParameterizedTest(name = "RFC 6698 §2.2: \"{0}\" is refused: {1}")
    @MethodSource("invalid")
    void refusesMalformedText(String text, String reason) {
        TlsaParse parsed = TlsaRecord.parse(text);

        assertThat(parsed).isInstanceOf(TlsaParse.Invalid.class);
        assertThat(((TlsaParse.Invalid) parsed).reason()).contains(reason);
    }

    static Stream<Arguments> usability() {
        return Stream.of(
                Arguments.of("3 1 1 " + SHA256, null),
                Arguments.of("3 0 2 " + SHA512, null),
                Arguments.of("2 1 0 3059301306072a", null),
                Arguments.of("2 0 1 " + SHA256, null),
                Arguments.of("0 0 1 " + SHA256, "certificate usage 0 (PKIX) is not used for SMTP"),
                Arguments.of("1 1 1 " + SHA256, "certificate usage 1 (PKIX) is not used for SMTP"),
                Arguments.of("4 1 1 " + SHA256, "unknown certificate usage 4"),
                Arguments.of("3 2 1 " + SHA256, "unknown selector 2"),
                Arguments.of("3 1 3 " + SHA256, "unknown matching type 3"),
                Arguments.of("3 1 1 " + SHA256.substring(2), "matching type 1 needs 32 octets of digest, not 31"),
                Arguments.of("3 1 1 " + SHA512, "matching type 1 needs 32 octets of digest, not 64"),
                Arguments.of("3 1 2 " + SHA256, "matching type 2 needs 64 octets of digest, not 32"));
    }

    @ParameterizedTest(name = "RFC 7672 §3.1.3: \"{0}\" unusable because: {1}")
    @MethodSource("usability")
    void classifiesUsability(String text, String problem) {
        TlsaRecord record = ((TlsaParse.Parsed) TlsaRecord.parse(text)).record();

        if (problem == null) {
            assertThat(record.unusable()).isEmpty();
        } else {
            assertThat(record.unusable())
                    .hasValueSatisfying(reason -> assertThat(reason).contains(problem));
        }
    }

    @Test
    @DisplayName("RFC 6698 §2.1: the factory keeps the four fields and copies the data")
    void factoryKeepsFields() {
        byte[] data = HexFormat.of().parseHex(SHA256);
        TlsaRecord record = TlsaRecord.of(3, 1, 1, data);
        data[0] = 0x7f;

        assertThat(List.of(record.usage(), record.selector(), record.matchingType()))
                .containsExactly(3, 1, 1);
        assertThat(record.presentation()).isEqualTo("3 1 1 " + SHA256);
        assertThat(record)
                .isEqualTo(TlsaRecord.of(3, 1, 1, HexFormat.of().parseHex(SHA256)))
                .hasSameHashCodeAs(TlsaRecord.of(3, 1, 1, HexFormat.of().parseHex(SHA256)));
    }
}
