package org.stsrelay.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyParserTest {

    static final String TYPICAL = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\n"
            + "max_age: 604800\n";

    static Stream<Arguments> validBodies() {
        return Stream.of(
                Arguments.of("typical LF body", TYPICAL, Mode.ENFORCE, 604800L, 2),
                Arguments.of("RFC 8461 §3.2 erratum 6253: CRLF", TYPICAL.replace("\n", "\r\n"), Mode.ENFORCE, 604800L, 2),
                Arguments.of("no final terminator", "version: STSv1\nmode: testing\nmx: a.example\nmax_age: 86400",
                        Mode.TESTING, 86400L, 1),
                Arguments.of("trailing WSP allowed", "version: STSv1 \nmode:\tnone\t\nmax_age: 0  \n", Mode.NONE, 0L, 0),
                Arguments.of("no space after colon", "version:STSv1\nmode:enforce\nmx:a.example\nmax_age:1\n",
                        Mode.ENFORCE, 1L, 1),
                Arguments.of("RFC 8461 §3.2: after version, field order not significant",
                        "version: STSv1\nmax_age: 5\nmx: a.example\nmode: enforce\n", Mode.ENFORCE, 5L, 1),
                Arguments.of("RFC 8461 §3.2: mode none needs no mx", "version: STSv1\nmode: none\nmax_age: 86400\n",
                        Mode.NONE, 86400L, 0),
                Arguments.of("RFC 8461 §3.2 C4: unknown fields ignored",
                        "version: STSv1\nmode: enforce\nfoo_bar: some value\nmx: a.example\nmax_age: 9\n",
                        Mode.ENFORCE, 9L, 1),
                Arguments.of("RFC 8461 §3.2 C5: first duplicate wins",
                        "version: STSv1\nmode: testing\nmode: enforce\nmax_age: 10\nmax_age: 20\nmx: a.example\n",
                        Mode.TESTING, 10L, 1),
                Arguments.of("RFC 8461 §3.2 erratum 7282: max_age clamped (Decision 2)",
                        "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 9999999999\n",
                        Mode.ENFORCE, PolicyParser.MAX_AGE_LIMIT, 1),
                Arguments.of("max_age at the limit", "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557600\n",
                        Mode.ENFORCE, 31557600L, 1),
                Arguments.of("trailing blank lines tolerated", TYPICAL + "\n\n", Mode.ENFORCE, 604800L, 2),
                Arguments.of("UTF-8 in an extension value", "version: STSv1\nmode: none\nnote: grüße\nmax_age: 1\n",
                        Mode.NONE, 1L, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validBodies")
    @DisplayName("RFC 8461 §3.2: valid policies")
    void acceptsValidPolicies(String name, String body, Mode mode, long maxAge, int mxCount) {
        ParseResult result = PolicyParser.parse(body);
        assertThat(result).isInstanceOf(ParseResult.Valid.class);
        PolicyDocument document = ((ParseResult.Valid) result).document();
        assertThat(document.mode()).isEqualTo(mode);
        assertThat(document.maxAgeSeconds()).isEqualTo(maxAge);
        assertThat(document.mx()).hasSize(mxCount);
        assertThat(document.text()).isEqualTo(body);
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                Arguments.of("empty", ""),
                Arguments.of("HTML error page", "<html><body>Not Found</body></html>"),
                Arguments.of("version missing", "mode: enforce\nmx: a.example\nmax_age: 1\n"),
                Arguments.of("RFC 8461 §3.2: version not on the first line",
                        "mode: enforce\nmx: a.example\nmax_age: 5\nversion: STSv1\n"),
                Arguments.of("RFC 8461 §3.2: version second", "mode: enforce\nversion: STSv1\nmx: a.example\nmax_age: 5\n"),
                Arguments.of("first line blank", "\nversion: STSv1\nmode: enforce\nmx: a.example\nmax_age: 5\n"),
                Arguments.of("wrong version", "version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n"),
                Arguments.of("version is case-sensitive", "version: stsv1\nmode: enforce\nmx: a.example\nmax_age: 1\n"),
                Arguments.of("field name is case-sensitive", "Version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n"),
                Arguments.of("mode missing", "version: STSv1\nmx: a.example\nmax_age: 1\n"),
                Arguments.of("mode unknown", "version: STSv1\nmode: strict\nmx: a.example\nmax_age: 1\n"),
                Arguments.of("mode is case-sensitive", "version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 1\n"),
                Arguments.of("max_age missing", "version: STSv1\nmode: enforce\nmx: a.example\n"),
                Arguments.of("max_age negative", "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -1\n"),
                Arguments.of("max_age 11 digits", "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 12345678901\n"),
                Arguments.of("max_age not a number", "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1d\n"),
                Arguments.of("mx missing under enforce", "version: STSv1\nmode: enforce\nmax_age: 1\n"),
                Arguments.of("mx missing under testing", "version: STSv1\nmode: testing\nmax_age: 1\n"),
                Arguments.of("mx with two wildcards", "version: STSv1\nmode: enforce\nmx: *.*.example\nmax_age: 1\n"),
                Arguments.of("mx partial wildcard", "version: STSv1\nmode: enforce\nmx: m*.example\nmax_age: 1\n"),
                Arguments.of("mx not a domain", "version: STSv1\nmode: enforce\nmx: a_b.example\nmax_age: 1\n"),
                Arguments.of("mx list on one line", "version: STSv1\nmode: enforce\nmx: a.example b.example\nmax_age: 1\n"),
                Arguments.of("leading whitespace", " version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n"),
                Arguments.of("space before colon", "version : STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n"),
                Arguments.of("no colon", "version STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n"),
                Arguments.of("empty value", "version: STSv1\nmode: enforce\nmx:\nmax_age: 1\n"),
                Arguments.of("blank line in the middle", "version: STSv1\n\nmode: enforce\nmx: a.example\nmax_age: 1\n"),
                Arguments.of("bare CR inside a line", "version: STSv1\rmode: enforce\nmx: a.example\nmax_age: 1\n"),
                Arguments.of("control character", "version: STSv1\nmode: enforce\nmx: a.example\nx: \u0001\nmax_age: 1\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    @DisplayName("RFC 8461 §3.2: invalid policies are rejected with a reason")
    void rejectsInvalidPolicies(String name, String body) {
        ParseResult result = PolicyParser.parse(body);
        assertThat(result).isInstanceOf(ParseResult.Invalid.class);
        assertThat(((ParseResult.Invalid) result).reason()).isNotBlank();
    }

    @Test
    @DisplayName("RFC 8461 §3.2: a policy not opening with version names the rule it breaks")
    void versionFirstIsRequiredWithAClearReason() {
        ParseResult result = PolicyParser.parse("mode: enforce\nversion: STSv1\nmx: a.example\nmax_age: 5\n");
        assertThat(result).isEqualTo(new ParseResult.Invalid("the first line must be \"version: STSv1\", not \"mode\""));
        ParseResult duplicate = PolicyParser.parse("version: STSv1\nmode: none\nversion: STSv2\nmax_age: 5\n");
        assertThat(duplicate).isInstanceOf(ParseResult.Valid.class);
    }

    @Test
    @DisplayName("RFC 8461 §3.2 C5: ignored duplicates and clamping are noted")
    void notesWhatWasIgnored() {
        PolicyDocument document = valid("version: STSv1\nmode: testing\nmode: enforce\nmx: a.example\nmax_age: 99999999\n");
        assertThat(document.notes()).anyMatch(note -> note.contains("duplicate mode"))
                .anyMatch(note -> note.contains("clamped"));
    }

    @Test
    @DisplayName("RFC 8461 §3.2 C4: unknown fields are kept, first occurrence")
    void keepsUnknownFields() {
        PolicyDocument document = valid("version: STSv1\nmode: none\nx-a: 1\nx-a: 2\nmax_age: 1\n");
        assertThat(document.extensions()).containsEntry("x-a", "1").hasSize(1);
    }

    @Test
    @DisplayName("RFC 8460 §4.5 C7: lines kept for policy-string, one mx per element")
    void keepsLinesForPolicyString() {
        assertThat(valid(TYPICAL.replace("\n", "\r\n")).lines()).containsExactly("version: STSv1", "mode: enforce",
                "mx: mail.example.com", "mx: *.example.net", "max_age: 604800");
    }

    @Test
    @DisplayName("RFC 8461 §3.2 C6: U-label mx converted to A-label, case folded, trailing dot dropped")
    void normalisesMxPatterns() {
        PolicyDocument document = valid("version: STSv1\nmode: enforce\nmx: MAIL.bücher.example.\nmax_age: 1\n");
        assertThat(document.mx()).extracting(MxPattern::pattern).containsExactly("mail.xn--bcher-kva.example");
        assertThat(document.notes()).anyMatch(note -> note.contains("A-label"));
    }

    static PolicyDocument valid(String body) {
        ParseResult result = PolicyParser.parse(body);
        assertThat(result).isInstanceOf(ParseResult.Valid.class);
        return ((ParseResult.Valid) result).document();
    }
}
