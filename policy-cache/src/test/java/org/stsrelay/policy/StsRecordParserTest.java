package org.stsrelay.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class StsRecordParserTest {

    private static final List<ParseNote.Kind> NONE = List.of();

    static Stream<Arguments> validRecords() {
        return Stream.of(
                Arguments.of(
                        "RFC 8461 §3.1: trailing delimiter", "v=STSv1; id=20160831085700Z;", "20160831085700Z", NONE),
                Arguments.of("RFC 8461 §3.1: no WSP", "v=STSv1;id=abc", "abc", NONE),
                Arguments.of("RFC 8461 §3.1: extension after id", "v=STSv1; id=abc; ext=value", "abc", NONE),
                Arguments.of(
                        "RFC 8461 §3.1: extension before a 32-character id",
                        "v=STSv1; ext-1.x_y=v!al:ue; id=ABCdef0123456789abcdef0123456789",
                        "ABCdef0123456789abcdef0123456789",
                        NONE),
                Arguments.of(
                        "RFC 8461 §3.1 field-delim = *WSP \";\" *WSP: WSP before ';' is read, and noted",
                        "v=STSv1 ; id=abc",
                        "abc",
                        List.of(ParseNote.Kind.SPACE_BEFORE_DELIMITER)),
                Arguments.of(
                        "RFC 8461 §3.1: tabs around delimiters",
                        "v=STSv1\t;\tid=abc\t;\t",
                        "abc",
                        List.of(ParseNote.Kind.SPACE_BEFORE_DELIMITER)),
                Arguments.of(
                        "RFC 8461 §3.2 \"all entries except for the first SHALL be ignored\": id=a; id=b has id a",
                        "v=STSv1; id=a; id=b",
                        "a",
                        List.of(ParseNote.Kind.DUPLICATE_FIELD)),
                Arguments.of(
                        "RFC 8461 §3.2 \"all entries except for the first SHALL be ignored\": an ignored "
                                + "second id need not be a valid id",
                        "v=STSv1; id=a; id=2026-01-01",
                        "a",
                        List.of(ParseNote.Kind.DUPLICATE_FIELD)),
                Arguments.of(
                        "RFC 8461 §3.2 \"all entries except for the first SHALL be ignored\": repeated "
                                + "extension and version",
                        "v=STSv1; x=1; id=a; x=2; v=STSv2",
                        "a",
                        List.of(ParseNote.Kind.DUPLICATE_FIELD, ParseNote.Kind.DUPLICATE_FIELD)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validRecords")
    @DisplayName("RFC 8461 §3.1: valid records, with what was tolerated noted")
    void acceptsValidRecords(String name, String txt, String id, List<ParseNote.Kind> notes) {
        assertThat(StsRecordParser.isStsRecord(txt)).isTrue();
        StsRecordParser.Result result = StsRecordParser.parse(txt);
        assertThat(result).isInstanceOf(StsRecordParser.Result.Valid.class);
        StsRecord record = ((StsRecordParser.Result.Valid) result).record();
        assertThat(record.id()).isEqualTo(id);
        assertThat(record.notes()).extracting(ParseNote::kind).containsExactlyElementsOf(notes);
        assertThat(record.text()).isEqualTo(txt);
    }

    static Stream<Arguments> invalidRecords() {
        return Stream.of(
                Arguments.of("RFC 8461 §3.1: sts-id is required", "v=STSv1;", "no id field"),
                Arguments.of("RFC 8461 §3.1: sts-id is required, WSP only", "v=STSv1; ", "no id field"),
                Arguments.of("RFC 8461 §3.1: empty id", "v=STSv1; id=", "is not 1 to 32"),
                Arguments.of("RFC 8461 §3.1: id with hyphens", "v=STSv1; id=2024-01-01", "is not 1 to 32"),
                Arguments.of("RFC 8461 §3.1: id with a dot", "v=STSv1; id=abc.def", "is not 1 to 32"),
                Arguments.of(
                        "RFC 8461 §3.1: id of 33 characters",
                        "v=STSv1; id=abcdefghijabcdefghijabcdefghijabc",
                        "is not 1 to 32"),
                Arguments.of(
                        "RFC 8461 §3.2: the first id wins, so a bad first id is not saved by a good second one",
                        "v=STSv1; id=a-b; id=abc",
                        "is not 1 to 32"),
                Arguments.of("RFC 8461 §3.1: empty field between delimiters", "v=STSv1;; id=abc", "empty field"),
                Arguments.of("RFC 8461 §3.1: two trailing delimiters", "v=STSv1; id=abc;; ", "empty field"),
                Arguments.of("RFC 8461 §3.1: empty extension value", "v=STSv1; ext=; id=abc", "breaks the grammar"),
                Arguments.of(
                        "RFC 8461 §3.1: space in an extension value", "v=STSv1; ext=a b; id=abc", "breaks the grammar"),
                Arguments.of(
                        "RFC 8461 §3.1: extension name starting with _",
                        "v=STSv1; _ext=x; id=abc",
                        "breaks the grammar"),
                Arguments.of("RFC 8461 §3.1: field names are case-sensitive", "v=STSv1; Id=abc", "no id field"),
                Arguments.of(
                        "RFC 8461 §3.1: the record MUST be US-ASCII", "v=STSv1; id=abc; ext=caf\u00e9", "US-ASCII"),
                Arguments.of("RFC 8461 §3.1: a bare version is not a record", "v=STSv1", "does not begin with"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRecords")
    @DisplayName("RFC 8461 §3.1: invalid records mean no available policy, with a reason")
    void rejectsInvalidRecords(String name, String txt, String reason) {
        StsRecordParser.Result result = StsRecordParser.parse(txt);
        assertThat(result).isInstanceOf(StsRecordParser.Result.Invalid.class);
        assertThat(((StsRecordParser.Result.Invalid) result).reason()).contains(reason);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "v=spf1 -all",
                "V=STSv1; id=abc",
                "v=STSv10; id=abc",
                " v=STSv1; id=abc",
                "id=abc; v=STSv1",
                "v=STSv1",
                "v=STSv1 ",
                "v=STSv1\t",
                "v=STSv1 id=abc",
                ""
            })
    @DisplayName("RFC 8461 §3.1: strings not beginning with v=STSv1, optional WSP and ';' are discarded")
    void discardsOtherRecords(String txt) {
        assertThat(StsRecordParser.isStsRecord(txt)).isFalse();
    }
}
