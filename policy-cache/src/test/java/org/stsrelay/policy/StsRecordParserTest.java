package org.stsrelay.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StsRecordParserTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "v=STSv1; id=20160831085700Z;",
        "v=STSv1;id=abc",
        "v=STSv1 ; id=abc",
        "v=STSv1\t;\tid=abc\t;\t",
        "v=STSv1; id=abc; ext=value",
        "v=STSv1; ext-1.x_y=v!al:ue; id=ABCdef0123456789abcdef0123456789",
    })
    @DisplayName("RFC 8461 §3.1: valid records (erratum 6285: WSP before ';' accepted, Decision 1)")
    void acceptsValidRecords(String txt) {
        assertThat(StsRecordParser.isStsRecord(txt)).isTrue();
        assertThat(StsRecordParser.parse(txt)).isInstanceOf(StsRecordParser.Result.Valid.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "v=STSv1",
        "v=STSv1;",
        "v=STSv1; ",
        "v=STSv1; id=",
        "v=STSv1; id=2024-01-01",
        "v=STSv1; id=abc.def",
        "v=STSv1; id=abcdefghijabcdefghijabcdefghijabc",
        "v=STSv1; id=abc; id=def",
        "v=STSv1;; id=abc",
        "v=STSv1; id=abc;; ",
        "v=STSv1; ext=; id=abc",
        "v=STSv1; ext=a b; id=abc",
        "v=STSv1; _ext=x; id=abc",
        "v=STSv1; Id=abc",
        "v=STSv1; id=abc; ext=caf\u00e9",
    })
    @DisplayName("RFC 8461 §3.1: invalid records mean no available policy (id 1-32 alphanumerics strictly)")
    void rejectsInvalidRecords(String txt) {
        assertThat(StsRecordParser.parse(txt)).isInstanceOf(StsRecordParser.Result.Invalid.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v=spf1 -all", "V=STSv1; id=abc", "v=STSv10; id=abc", " v=STSv1; id=abc", "id=abc; v=STSv1"})
    @DisplayName("RFC 8461 §3.1: records not beginning with v=STSv1 are discarded")
    void discardsOtherRecords(String txt) {
        assertThat(StsRecordParser.isStsRecord(txt)).isFalse();
    }
}
