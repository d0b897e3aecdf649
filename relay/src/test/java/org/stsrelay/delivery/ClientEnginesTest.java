package org.stsrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClientEnginesTest {

    static Stream<Arguments> hosts() {
        return Stream.of(
                Arguments.of("RFC 7672 §8.1: SNI is the TLSA base domain", "mx.example.com", List.of("mx.example.com")),
                Arguments.of("RFC 8461 §7.1: SNI is the MX host name", "mail.example.org", List.of("mail.example.org")),
                Arguments.of("RFC 6066 §3: no SNI for an IPv4 literal", "192.0.2.10", List.of()),
                Arguments.of("RFC 6066 §3: no SNI for an IPv6 literal", "2001:db8::1", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void setsServerNameAndModernProtocols(String rule, String host, List<String> serverNames) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);

        SSLEngine engine = ClientEngines.create(context, host, 25);

        assertThat(engine.getUseClientMode()).isTrue();
        assertThat(engine.getPeerHost()).isEqualTo(host);
        assertThat(engine.getPeerPort()).isEqualTo(25);
        assertThat(engine.getSSLParameters().getProtocols()).isNotEmpty().isSubsetOf("TLSv1.3", "TLSv1.2");
        List<SNIHostName> names = engine.getSSLParameters().getServerNames() == null
                ? List.of()
                : engine.getSSLParameters().getServerNames().stream()
                        .map(SNIHostName.class::cast)
                        .toList();
        assertThat(names.stream().map(SNIHostName::getAsciiName)).containsExactlyElementsOf(serverNames);
    }
}
