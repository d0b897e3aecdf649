package org.stsrelay.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.stsrelay.policy.Mode;
import org.stsrelay.policy.MxPattern;

class PlanOptionsTest {

    private static final PlanRequest.OwnerSite SITE = new PlanRequest.OwnerSite(Path.of("site"), false);

    private static PlanOptions.Result validate(
            String domain, String mode, List<String> mx, String maxAge, List<String> rua) {
        return PlanOptions.validate(new PlanOptions.Typed(domain, mode, mx, maxAge, rua), SITE);
    }

    @Test
    void validOptionsAreNormalised() {
        PlanOptions.Result result = validate(
                "Example.COM.",
                "enforce",
                List.of("MX1.example.com", "*.Mail.example.com", "mx1.example.com"),
                "2w",
                List.of(
                        "mailto:tlsrpt@example.com",
                        "https://mta-sts.example.com/tlsrpt",
                        "mailto:tlsrpt@example.com"));
        assertThat(result).isInstanceOfSatisfying(PlanOptions.Result.Valid.class, valid -> {
            PlanRequest request = valid.request();
            assertThat(request.domain()).isEqualTo("example.com");
            assertThat(request.mode()).contains(Mode.ENFORCE);
            assertThat(request.mx())
                    .extracting(MxPattern::pattern)
                    .containsExactly("mx1.example.com", "*.mail.example.com");
            assertThat(request.maxAgeSeconds()).contains(1_209_600L);
            assertThat(request.rua())
                    .containsExactly(
                            URI.create("mailto:tlsrpt@example.com"), URI.create("https://mta-sts.example.com/tlsrpt"));
        });
    }

    @ParameterizedTest(name = "{0} = {1} s")
    @CsvSource({"86400,86400", "1d,86400", "2w,1209600", "12h,43200", "90m,5400", "45s,45", "31557600,31557600"})
    @DisplayName("RFC 8461 §3.2: max_age as seconds or with a unit")
    void maxAgeUnits(String text, long seconds) {
        assertThat(MaxAgeText.seconds(text)).contains(seconds);
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of(
                        "not a domain", null, List.of(), null, List.of(), "DOMAIN: \"not a domain\" is not a domain"),
                Arguments.of("example.com", "strict", List.of(), null, List.of(), "--mode: \"strict\" is not testing"),
                Arguments.of("example.com", "Enforce", List.of(), null, List.of(), "--mode: \"Enforce\""),
                Arguments.of(
                        "example.com", null, List.of("*.*.example.com"), null, List.of(), "--mx: \"*.*.example.com\""),
                Arguments.of("example.com", null, List.of("mx_1.example.com"), null, List.of(), "--mx: "),
                Arguments.of("example.com", null, List.of("*"), null, List.of(), "--mx: \"*\""),
                Arguments.of("example.com", null, List.of(), "0", List.of(), "--max-age: \"0\" is not a duration"),
                Arguments.of("example.com", null, List.of(), "53w", List.of(), "--max-age: \"53w\""),
                Arguments.of("example.com", null, List.of(), "31557601", List.of(), "--max-age: \"31557601\""),
                Arguments.of("example.com", null, List.of(), "1y", List.of(), "--max-age: \"1y\""),
                Arguments.of("example.com", null, List.of(), "-5", List.of(), "--max-age: \"-5\""),
                Arguments.of("example.com", null, List.of(), "99999999999d", List.of(), "--max-age: "),
                Arguments.of(
                        "example.com",
                        null,
                        List.of(),
                        null,
                        List.of("tlsrpt@example.com"),
                        "--rua: \"tlsrpt@example.com\" is not a mailto: or https: URI"),
                Arguments.of(
                        "example.com",
                        null,
                        List.of(),
                        null,
                        List.of("http://example.com/r"),
                        "--rua: \"http://example.com/r\""),
                Arguments.of("example.com", null, List.of(), null, List.of("mailto:"), "--rua: no usable rua URI"),
                Arguments.of(
                        "example.com",
                        null,
                        List.of(),
                        null,
                        List.of("mailto:a@x.test,mailto:b@x.test"),
                        "percent-encode"),
                Arguments.of("example.com", null, List.of(), null, List.of("https://x.test/a;b"), "percent-encode"));
    }

    @ParameterizedTest(name = "{5}")
    @MethodSource("badOptions")
    @DisplayName("bad options are refused with a message naming the option")
    void badOptionsAreRefusedNamingTheOption(
            String domain, String mode, List<String> mx, String maxAge, List<String> rua, String message) {
        assertThat(validate(domain, mode, mx, maxAge, rua))
                .isInstanceOfSatisfying(
                        PlanOptions.Result.Invalid.class,
                        invalid -> assertThat(invalid.message()).contains(message));
    }

    @Test
    void absentOptionsStayAbsent() {
        assertThat(validate("example.com", null, null, null, null))
                .isInstanceOfSatisfying(PlanOptions.Result.Valid.class, valid -> {
                    assertThat(valid.request().mode()).isEqualTo(Optional.empty());
                    assertThat(valid.request().mx()).isEmpty();
                    assertThat(valid.request().maxAgeSeconds()).isEmpty();
                    assertThat(valid.request().rua()).isEmpty();
                });
    }
}
