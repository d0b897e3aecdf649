package org.stsrelay.policy.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CertificateNamesTest {

    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @CsvSource({
        "mx1.example.com, mx1.example.com, true",
        "MX1.Example.COM, mx1.example.com., true",
        "*.example.com, mx1.example.com, true",
        "*.example.com, example.com, false",
        "*.example.com, a.b.example.com, false",
        "m*.example.com, mx1.example.com, false",
        "*.*.example.com, a.b.example.com, false",
        "mx1.example.org, mx1.example.com, false"
    })
    void rfc6125_6_4_dnsIdsWithWildcardOnlyAsTheWholeLeftmostLabel(String san, String host, boolean matches) {
        assertThat(CertificateNames.matches(List.of(san), host)).isEqualTo(matches);
    }
}
