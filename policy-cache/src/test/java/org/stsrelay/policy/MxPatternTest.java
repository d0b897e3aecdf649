package org.stsrelay.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MxPatternTest {

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource({
        "mail.example.com, mail.example.com, true",
        "mail.example.com, MAIL.Example.COM, true",
        "mail.example.com, mail.example.com., true",
        "mail.example.com, mail.example.com.., false",
        "mail.example.com, mx.example.com, false",
        "mail.example.com, xmail.example.com, false",
        "mail.example.com, mail.example.co, false",
        "*.example.com, mx1.example.com, true",
        "*.example.com, MX1.EXAMPLE.COM., true",
        "*.example.com, example.com, false",
        "*.example.com, .example.com, false",
        "*.example.com, a.b.example.com, false",
        "*.example.com, evilexample.com, false",
        "*.example.com, mx.evilexample.com, false",
        "*.example.com, mx.example.com.evil.net, false",
        "*.xn--bcher-kva.example, mx.bücher.example, true",
        "mx.xn--bcher-kva.example, MX.BÜCHER.example, true",
        "mail.example.com., mail.example.com, true",
        "*.example.com., mx1.example.com, true",
    })
    @DisplayName(
            "RFC 8461 §4.1: exact or one-left-most-label wildcard, case-insensitive, trailing dot ignored, A-labels")
    void matchesPerRfc8461Section41(String pattern, String host, boolean expected) {
        MxPattern mx = MxPattern.parse(pattern).orElseThrow();
        assertThat(mx.matches(host)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "'*'",
        "'*.'",
        "'*.*.example.com'",
        "'m*.example.com'",
        "'mail..example.com'",
        "'-a.example'",
        "'a_b.example'",
        "''"
    })
    @DisplayName("RFC 8461 §3.2: an mx value is [\"*.\"] Domain, nothing else")
    void rejectsMalformedPatterns(String pattern) {
        assertThat(MxPattern.parse(pattern)).isEmpty();
    }

    @ParameterizedTest(name = "{0} vs {1} -> false")
    @CsvSource({
        "*.example.com, *.example.com",
        "*.example.com, *.EXAMPLE.com.",
        "*.example.com, m*.example.com",
        "*.example.com, *.a.example.com",
        "mail.example.com, *.example.com",
    })
    @DisplayName(
            "RFC 8461 §4.1: \"*\" matches a host's left-most label, never a literal \"*\" (a name that is itself a wildcard)")
    void wildcardNeverMatchesALiteralStar(String pattern, String host) {
        assertThat(MxPattern.parse(pattern).orElseThrow().matches(host)).isFalse();
    }
}
