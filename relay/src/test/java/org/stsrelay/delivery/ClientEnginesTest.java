package org.stsrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClientEnginesTest {

    static Stream<Arguments> hosts() {
        return Stream.of(SslProvider.OPENSSL, SslProvider.JDK)
                .flatMap(provider -> Stream.of(
                        Arguments.of(
                                provider,
                                "RFC 7672 §8.1: SNI is the TLSA base domain",
                                "mx.example.com",
                                List.of("mx.example.com")),
                        Arguments.of(
                                provider,
                                "RFC 8461 §7.1: SNI is the MX host name",
                                "mail.example.org",
                                List.of("mail.example.org")),
                        Arguments.of(provider, "RFC 6066 §3: no SNI for an IPv4 literal", "192.0.2.10", List.of()),
                        Arguments.of(provider, "RFC 6066 §3: no SNI for an IPv6 literal", "2001:db8::1", List.of())));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("hosts")
    void setsServerNameAndModernProtocols(SslProvider provider, String rule, String host, List<String> serverNames) {
        SSLEngine engine = ClientEngines.create(provider).engine(ByteBufAllocator.DEFAULT, host, 25);

        assertThat(engine.getUseClientMode()).isTrue();
        assertThat(engine.getPeerHost()).isEqualTo(host);
        assertThat(engine.getPeerPort()).isEqualTo(25);
        // netty's OpenSSL engine always lists the "SSLv2Hello" pseudo-protocol, a server-side hello format.
        assertThat(engine.getEnabledProtocols())
                .contains("TLSv1.3", "TLSv1.2")
                .isSubsetOf("TLSv1.3", "TLSv1.2", "SSLv2Hello");
        List<SNIHostName> names = engine.getSSLParameters().getServerNames() == null
                ? List.of()
                : engine.getSSLParameters().getServerNames().stream()
                        .map(SNIHostName.class::cast)
                        .toList();
        assertThat(names.stream().map(SNIHostName::getAsciiName)).containsExactlyElementsOf(serverNames);
    }

    @Test
    void runsOnBoringSslOnThisPlatform() {
        // The build ships netty-tcnative's BoringSSL for linux-x86_64, the platform CI runs on.
        assertThat(OpenSsl.isAvailable())
                .as("%s", OpenSsl.unavailabilityCause())
                .isTrue();
        assertThat(ClientEngines.create().provider()).isEqualTo("OpenSSL");
        assertThat(ClientEngines.create(SslProvider.JDK).provider()).isEqualTo("JDK");
    }
}
