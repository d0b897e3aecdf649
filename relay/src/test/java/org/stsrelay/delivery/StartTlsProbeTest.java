package org.stsrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.stsrelay.policy.fetch.TestCa;
import org.stsrelay.support.TrustStores;

/** The STARTTLS probe behind {@code check --probe-mx}, against a small SMTP server on 127.0.0.2. */
class StartTlsProbeTest {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("RFC 8460 §4.3.1: the probe says a certificate whose validity has not begun is not yet valid")
    void notYetValidCertificateIsNamed() throws Exception {
        TestCa ca = new TestCa("test root");
        Instant notBefore = Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);
        try (TestMx mx = new TestMx(
                "127.0.0.2",
                0,
                Optional.of(
                        ca.issue("mx1.example.com", notBefore, notBefore.plus(Duration.ofDays(90)), "mx1.example.com")),
                Set.of("STARTTLS"),
                Set.of())) {
            StartTlsProbe probe = new StartTlsProbe(
                    group,
                    TrustStores.pkix(List.of(ca.certificate())),
                    "relay.test",
                    Duration.ofSeconds(5),
                    Clock.systemUTC());
            StartTlsProbeResult result = probe.probe("mx1.example.com", new InetSocketAddress("127.0.0.2", mx.port()))
                    .toCompletableFuture()
                    .get(20, TimeUnit.SECONDS);
            assertThat(result.tlsEstablished()).isTrue();
            assertThat(result.validated()).isFalse();
            assertThat(result.certificateProblem()).contains("certificate not yet valid (notBefore " + notBefore + ")");
        }
    }

    @Test
    @DisplayName("RFC 7672 §3.2: the probe keeps the presented chain when PKIX rejects it, so DANE can judge it")
    void presentedChainIsKeptWhenPkixRejectsIt() throws Exception {
        TestCa untrusted = new TestCa("untrusted root");
        TestCa.Issued issued = untrusted.issue("mx1.example.com");
        try (TestMx mx = new TestMx("127.0.0.2", 0, Optional.of(issued), Set.of("STARTTLS"), Set.of())) {
            TestCa trusted = new TestCa("trusted");
            StartTlsProbe probe = new StartTlsProbe(
                    group,
                    TrustStores.pkix(List.of(trusted.certificate())),
                    "relay.test",
                    Duration.ofSeconds(5),
                    Clock.systemUTC());
            StartTlsProbeResult result = probe.probe(
                            "mx1.example.com", "mx1.example.com", new InetSocketAddress("127.0.0.2", mx.port()))
                    .toCompletableFuture()
                    .get(20, TimeUnit.SECONDS);
            assertThat(result.validated()).isFalse();
            assertThat(result.certificateProblem()).isPresent();
            assertThat(result.chain()).first().isEqualTo(issued.chain()[0]);
        }
    }
}
