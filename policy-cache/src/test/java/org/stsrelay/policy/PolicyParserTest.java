package org.stsrelay.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyParserTest {

    static final String TYPICAL =
            "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\n" + "max_age: 604800\n";

    private static final List<ParseNote.Kind> NONE = List.of();

    static Stream<Arguments> validBodies() {
        return Stream.of(
                Arguments.of("typical LF body", TYPICAL, Mode.ENFORCE, 604800L, 2, NONE),
                Arguments.of(
                        "RFC 8461 §3.2 erratum 6253: CRLF",
                        TYPICAL.replace("\n", "\r\n"),
                        Mode.ENFORCE,
                        604800L,
                        2,
                        NONE),
                Arguments.of(
                        "RFC 8461 §3.2 [sts-policy-term]: no final terminator",
                        "version: STSv1\nmode: testing\nmx: a.example\nmax_age: 86400",
                        Mode.TESTING,
                        86400L,
                        1,
                        NONE),
                Arguments.of(
                        "RFC 8461 §3.2: trailing WSP is read, and noted",
                        "version: STSv1 \nmode:\tnone\t\nmax_age: 0\n",
                        Mode.NONE,
                        0L,
                        0,
                        List.of(ParseNote.Kind.TRAILING_WHITESPACE)),
                Arguments.of(
                        "RFC 8461 §3.2 field delimiter \":\" *WSP: no space after colon",
                        "version:STSv1\nmode:enforce\nmx:a.example\nmax_age:1\n",
                        Mode.ENFORCE,
                        1L,
                        1,
                        NONE),
                Arguments.of(
                        "RFC 8461 §3.2: the ABNF has no field order: version last",
                        "mode: enforce\nmx: a.example\nmax_age: 5\nversion: STSv1\n",
                        Mode.ENFORCE,
                        5L,
                        1,
                        List.of(ParseNote.Kind.VERSION_NOT_FIRST)),
                Arguments.of(
                        "RFC 8461 §3.2: the ABNF has no field order: version second",
                        "mode: enforce\nversion: STSv1\nmx: a.example\nmax_age: 5\n",
                        Mode.ENFORCE,
                        5L,
                        1,
                        List.of(ParseNote.Kind.VERSION_NOT_FIRST)),
                Arguments.of(
                        "RFC 8461 §3.2: the ABNF has no field order: after version",
                        "version: STSv1\nmax_age: 5\nmx: a.example\nmode: enforce\n",
                        Mode.ENFORCE,
                        5L,
                        1,
                        NONE),
                Arguments.of(
                        "RFC 8461 §3.2: leading blank lines are read, and noted",
                        "\n \r\nversion: STSv1\nmode: enforce\nmx: a.example\nmax_age: 5\n",
                        Mode.ENFORCE,
                        5L,
                        1,
                        List.of(ParseNote.Kind.LEADING_BLANK_LINES)),
                Arguments.of(
                        "RFC 8461 §3.2: trailing blank lines are read, and noted",
                        TYPICAL + "\n \n",
                        Mode.ENFORCE,
                        604800L,
                        2,
                        List.of(ParseNote.Kind.TRAILING_WHITESPACE)),
                Arguments.of(
                        "RFC 8461 §3.2: mode none needs no mx",
                        "version: STSv1\nmode: none\nmax_age: 86400\n",
                        Mode.NONE,
                        86400L,
                        0,
                        NONE),
                Arguments.of(
                        "RFC 8461 §3.2 \"unknown fields SHALL be ignored\"",
                        "version: STSv1\nmode: enforce\nfoo_bar: some value\nmx: a.example\nmax_age: 9\n",
                        Mode.ENFORCE,
                        9L,
                        1,
                        NONE),
                Arguments.of(
                        "RFC 8461 §3.2 \"all entries except for the first SHALL be ignored\": mode, max_age",
                        "version: STSv1\nmode: testing\nmode: enforce\nmax_age: 10\nmax_age: 20\nmx: a.example\n",
                        Mode.TESTING,
                        10L,
                        1,
                        List.of(ParseNote.Kind.DUPLICATE_FIELD, ParseNote.Kind.DUPLICATE_FIELD)),
                Arguments.of(
                        "RFC 8461 §3.2 \"all entries except for the first SHALL be ignored\": version",
                        "version: STSv1\nmode: none\nversion: STSv2\nmax_age: 5\n",
                        Mode.NONE,
                        5L,
                        0,
                        List.of(ParseNote.Kind.DUPLICATE_FIELD)),
                Arguments.of("RFC 8461 §3.2: mx is the repeated field", TYPICAL, Mode.ENFORCE, 604800L, 2, NONE),
                Arguments.of(
                        "RFC 8461 §3.2 erratum 7282: max_age above one year clamped (noted for check's FAIL)",
                        "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 9999999999\n",
                        Mode.ENFORCE,
                        PolicyParser.MAX_AGE_LIMIT,
                        1,
                        List.of(ParseNote.Kind.MAX_AGE_ABOVE_LIMIT)),
                Arguments.of(
                        "RFC 8461 §3.2: max_age at the limit",
                        "version: STSv1\nmode: enforce\nmx: a.example\n" + "max_age: 31557600\n",
                        Mode.ENFORCE,
                        31557600L,
                        1,
                        NONE),
                Arguments.of(
                        "RFC 8461 §3.2: mx with a trailing dot is normalised, and noted",
                        "version: STSv1\nmode: enforce\nmx: mail.example.com.\nmax_age: 5\n",
                        Mode.ENFORCE,
                        5L,
                        1,
                        List.of(ParseNote.Kind.MX_TRAILING_DOT)),
                Arguments.of(
                        "RFC 8461 §3.2: mx MUST be the A-label: a U-label is converted, and noted",
                        "version: STSv1\nmode: enforce\nmx: mail.bücher.example\nmax_age: 5\n",
                        Mode.ENFORCE,
                        5L,
                        1,
                        List.of(ParseNote.Kind.MX_U_LABEL)),
                Arguments.of(
                        "RFC 8461 §3.2: UTF-8 in an extension value",
                        "version: STSv1\nmode: none\nnote: grüße\n" + "max_age: 1\n",
                        Mode.NONE,
                        1L,
                        0,
                        NONE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validBodies")
    @DisplayName("RFC 8461 §3.2: valid policies, with what was tolerated noted")
    void acceptsValidPolicies(
            String name, String body, Mode mode, long maxAge, int mxCount, List<ParseNote.Kind> notes) {
        ParseResult result = PolicyParser.parse(body);
        assertThat(result).isInstanceOf(ParseResult.Valid.class);
        PolicyDocument document = ((ParseResult.Valid) result).document();
        assertThat(document.mode()).isEqualTo(mode);
        assertThat(document.maxAgeSeconds()).isEqualTo(maxAge);
        assertThat(document.mx()).hasSize(mxCount);
        assertThat(document.notes()).extracting(ParseNote::kind).containsExactlyElementsOf(notes);
        assertThat(document.text()).isEqualTo(body);
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                Arguments.of("empty", "", "empty"),
                Arguments.of("blank lines only", "\n\r\n \n", "empty"),
                Arguments.of("HTML error page", "<html><body>Not Found</body></html>", "line 1 is not"),
                Arguments.of(
                        "RFC 8461 §3.2: version is required",
                        "mode: enforce\nmx: a.example\nmax_age: 1\n",
                        "version field is missing"),
                Arguments.of(
                        "RFC 8461 §3.2: version = STSv1",
                        "version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n",
                        "not STSv1"),
                Arguments.of(
                        "RFC 8461 §3.2: the first version wins, a bad first one is not saved by a good second one",
                        "version: STSv2\nversion: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n",
                        "not STSv1"),
                Arguments.of(
                        "version is case-sensitive",
                        "version: stsv1\nmode: enforce\nmx: a.example\nmax_age: 1\n",
                        "not STSv1"),
                Arguments.of(
                        "field name is case-sensitive",
                        "Version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n",
                        "version field is missing"),
                Arguments.of("mode missing", "version: STSv1\nmx: a.example\nmax_age: 1\n", "mode field is missing"),
                Arguments.of(
                        "mode unknown", "version: STSv1\nmode: strict\nmx: a.example\nmax_age: 1\n", "not enforce"),
                Arguments.of(
                        "mode is case-sensitive",
                        "version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 1\n",
                        "not enforce"),
                Arguments.of("max_age missing", "version: STSv1\nmode: enforce\nmx: a.example\n", "max_age field"),
                Arguments.of(
                        "max_age negative",
                        "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -1\n",
                        "1 to 10 digits"),
                Arguments.of(
                        "max_age 11 digits",
                        "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 12345678901\n",
                        "1 to 10 digits"),
                Arguments.of(
                        "max_age not a number",
                        "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1d\n",
                        "1 to 10 digits"),
                Arguments.of("mx missing under enforce", "version: STSv1\nmode: enforce\nmax_age: 1\n", "no mx field"),
                Arguments.of("mx missing under testing", "version: STSv1\nmode: testing\nmax_age: 1\n", "no mx field"),
                Arguments.of(
                        "mx with two wildcards",
                        "version: STSv1\nmode: enforce\nmx: *.*.example\nmax_age: 1\n",
                        "is not [\"*.\"] Domain"),
                Arguments.of(
                        "mx partial wildcard",
                        "version: STSv1\nmode: enforce\nmx: m*.example\nmax_age: 1\n",
                        "is not [\"*.\"] Domain"),
                Arguments.of(
                        "mx not a domain",
                        "version: STSv1\nmode: enforce\nmx: a_b.example\nmax_age: 1\n",
                        "is not [\"*.\"] Domain"),
                Arguments.of(
                        "mx list on one line",
                        "version: STSv1\nmode: enforce\nmx: a.example b.example\nmax_age: 1\n",
                        "is not [\"*.\"] Domain"),
                Arguments.of(
                        "mx with two trailing dots",
                        "version: STSv1\nmode: enforce\nmx: a.example..\nmax_age: 1\n",
                        "is not [\"*.\"] Domain"),
                Arguments.of(
                        "RFC 8461 §3.2: a line that is not name: value (leading whitespace)",
                        " version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n",
                        "invalid field name"),
                Arguments.of(
                        "RFC 8461 §3.2: a line that is not name: value (space before colon)",
                        "version : STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n",
                        "invalid field name"),
                Arguments.of(
                        "RFC 8461 §3.2: a line that is not name: value (no colon)",
                        "version STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n",
                        "line 1 is not"),
                Arguments.of(
                        "RFC 8461 §3.2: a line that is not name: value (empty value)",
                        "version: STSv1\nmode: enforce\nmx:\nmax_age: 1\n",
                        "line 3 (mx)"),
                Arguments.of(
                        "RFC 8461 §3.2: a line that is not name: value (blank line between fields)",
                        "version: STSv1\n\nmode: enforce\nmx: a.example\nmax_age: 1\n",
                        "line 2 is not"),
                Arguments.of(
                        "bare CR inside a line",
                        "version: STSv1\rmode: enforce\nmx: a.example\nmax_age: 1\n",
                        "line 1 (version)"),
                Arguments.of(
                        "control character",
                        "version: STSv1\nmode: enforce\nmx: a.example\nx: \u0001\nmax_age: 1\n",
                        "line 4 (x)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    @DisplayName("RFC 8461 §3.2: policies with no clear reading are rejected with a reason")
    void rejectsInvalidPolicies(String name, String body, String reason) {
        ParseResult result = PolicyParser.parse(body);
        assertThat(result).isInstanceOf(ParseResult.Invalid.class);
        assertThat(((ParseResult.Invalid) result).reason()).contains(reason);
    }

    @Test
    @DisplayName("RFC 8461 §3.2: each note says what was found and how it was read")
    void notesSayWhatWasRead() {
        PolicyDocument document =
                valid("\nmode: testing\nmode: enforce\nversion: STSv1 \nmx: a.example.\n" + "max_age: 99999999\n");
        assertThat(document.notes())
                .extracting(ParseNote::message)
                .containsExactly(
                        "line 3: duplicate mode field ignored: \"mode: testing\" is used, \"enforce\" is not (RFC 8461 §3.2: "
                                + "the first entry wins); publish it once",
                        "line 5: mx a.example. ends with a dot; read as a.example (RFC 8461 §3.2: a Domain has no trailing "
                                + "dot, stricter senders match no MX against it)",
                        "the version field is on line 4, not first; RFC 8461 §3.2 sets no order, but every example puts "
                                + "\"version: STSv1\" first and a stricter parser may expect it there",
                        "1 blank line(s) before the first field; RFC 8461 §3.2 allows none",
                        "whitespace at the end of line(s) 4; some parsers keep it as part of the value",
                        "max_age 99999999 is above 31557600 (one year, RFC 8461 §3.2); clamped to 31557600 here, but other "
                                + "senders discard the policy");
    }

    @Test
    @DisplayName("RFC 8461 §3.2 \"unknown fields SHALL be ignored\": kept, first occurrence")
    void keepsUnknownFields() {
        PolicyDocument document = valid("version: STSv1\nmode: none\nx-a: 1\nx-a: 2\nmax_age: 1\n");
        assertThat(document.extensions()).containsEntry("x-a", "1").hasSize(1);
        assertThat(document.notes()).extracting(ParseNote::kind).containsExactly(ParseNote.Kind.DUPLICATE_FIELD);
    }

    @Test
    @DisplayName("RFC 8460 §4.5: lines kept for policy-string, one mx per element, blank lines left out")
    void keepsLinesForPolicyString() {
        assertThat(valid("\r\n" + TYPICAL.replace("\n", "\r\n")).lines())
                .containsExactly(
                        "version: STSv1",
                        "mode: enforce",
                        "mx: mail.example.com",
                        "mx: *.example.net",
                        "max_age: 604800");
    }

    @Test
    @DisplayName("RFC 8461 §3.2: U-label mx converted to A-label, case folded, trailing dot dropped")
    void normalisesMxPatterns() {
        PolicyDocument document = valid("version: STSv1\nmode: enforce\nmx: MAIL.bücher.example.\nmax_age: 1\n");
        assertThat(document.mx()).extracting(MxPattern::pattern).containsExactly("mail.xn--bcher-kva.example");
        assertThat(document.notes())
                .extracting(ParseNote::kind)
                .containsExactly(ParseNote.Kind.MX_TRAILING_DOT, ParseNote.Kind.MX_U_LABEL);
    }

    @Test
    @DisplayName("RFC 8461 §4.1: a normalised trailing-dot pattern matches the MX host it names")
    void trailingDotPatternMatches() {
        PolicyDocument document = valid("version: STSv1\nmode: enforce\nmx: mail.example.com.\nmax_age: 1\n");
        assertThat(document.matchesMx("mail.example.com")).isTrue();
        assertThat(document.matchesMx("mail.example.com.")).isTrue();
    }

    static PolicyDocument valid(String body) {
        ParseResult result = PolicyParser.parse(body);
        assertThat(result).isInstanceOf(ParseResult.Valid.class);
        return ((ParseResult.Valid) result).document();
    }
}
