package org.stsrelay.dane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TlsaRrsetTest {

    private static final String DIGEST = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    private static final TlsaRecord DANE_EE = record("3 1 1 " + DIGEST);
    private static final TlsaRecord DANE_TA = record("2 0 1 " + DIGEST);
    private static final TlsaRecord PKIX_EE = record("1 1 1 " + DIGEST);
    private static final TlsaRecord PKIX_TA = record("0 0 1 " + DIGEST);
    private static final TlsaRecord SHORT_DIGEST = record("3 1 1 0011");

    static Stream<Arguments> rrsets() {
        return Stream.of(
                Arguments.of("RFC 7672 §2.2: an empty RRset asks nothing", List.of(), new TlsaRrset.NoRecords()),
                Arguments.of(
                        "RFC 7672 §3.1.3: DANE-EE and DANE-TA are usable",
                        List.of(DANE_EE, DANE_TA),
                        new TlsaRrset.Usable(List.of(DANE_EE, DANE_TA), List.of(DANE_EE, DANE_TA))),
                Arguments.of(
                        "RFC 7672 §3.1.3: PKIX records beside a usable one are dropped",
                        List.of(PKIX_EE, DANE_EE, PKIX_TA),
                        new TlsaRrset.Usable(List.of(DANE_EE), List.of(PKIX_EE, DANE_EE, PKIX_TA))),
                Arguments.of(
                        "RFC 7672 §2.2: only PKIX-EE records: TLS required, unauthenticated",
                        List.of(PKIX_EE),
                        new TlsaRrset.NoneUsable(List.of(PKIX_EE))),
                Arguments.of(
                        "RFC 7672 §2.2: a digest of the wrong length is unusable",
                        List.of(SHORT_DIGEST, PKIX_TA),
                        new TlsaRrset.NoneUsable(List.of(SHORT_DIGEST, PKIX_TA))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rrsets")
    void classifies(String rule, List<TlsaRecord> records, TlsaRrset expected) {
        assertThat(TlsaRrset.classify(records)).isEqualTo(expected);
    }

    private static TlsaRecord record(String text) {
        return ((TlsaParse.Parsed) TlsaRecord.parse(text)).record();
    }
}
