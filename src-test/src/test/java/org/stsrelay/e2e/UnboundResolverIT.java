package org.stsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.policy.dns.DnsSettings;
import org.stsrelay.policy.dns.DnssecMode;
import org.stsrelay.policy.dns.DnssecSettings;
import org.stsrelay.policy.dns.MxRecord;
import org.stsrelay.policy.dns.Secured;
import org.stsrelay.policy.dns.Security;
import org.stsrelay.policy.dns.TlsaRecordData;
import org.stsrelay.world.Await;
import org.stsrelay.world.RelayConfigFile;
import org.stsrelay.world.RelayJar;
import org.stsrelay.world.RelayProcess;
import org.stsrelay.world.UnboundResolver;
import org.stsrelay.world.WorldDns;
import org.xbill.DNS.Type;

/** {@code dns.dnssec: resolver} against a real validating resolver, Debian's unbound, serving the signed world. */
class UnboundResolverIT {

    private static final String DIGEST = "8d02536c887482bc34ff54e41d2ba659bf85b341a0a20afadb5813dcfbcf286d";
    private static final String AVAILABLE = "sts_relay_dns_dnssec_available{mode=\"resolver\"} 1.0";

    @TempDir
    Path dir;

    private WorldDns world;
    private UnboundResolver unbound;

    @BeforeEach
    void start() throws Exception {
        world = WorldDns.start();
        unbound = UnboundResolver.start(Files.createDirectories(dir.resolve("unbound")), world);
    }

    @AfterEach
    void stop() throws Exception {
        if (unbound != null) {
            unbound.close();
        }
        world.close();
    }

    private DnsClient resolverMode() {
        return DnsClient.create(
                DnsSettings.DEFAULTS
                        .withServers(List.of(unbound.address()))
                        .withTimeout(Duration.ofSeconds(5))
                        .withDnssec(DnssecSettings.DEFAULTS.with(DnssecMode.RESOLVER, Optional.empty())),
                new SimpleMeterRegistry(),
                () -> 0L);
    }

    private static <T> Secured<T> join(CompletionStage<Secured<T>> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    @DisplayName("RFC 6840 §5.7: unbound validates the world; resolver mode reads SECURE, INSECURE and denials from it")
    void resolverModeReadsUnboundsValidation() throws Exception {
        world.mx("dane.test", List.of(new WorldDns.Mx(10, "mx.dane.test")));
        world.a("mx.dane.test", InetAddress.getByName("127.0.0.2"));
        world.tlsa("mx.dane.test", List.of("3 1 1 " + DIGEST));
        world.unsignedZone("plain.example");
        world.mx("plain.example", List.of(new WorldDns.Mx(10, "mx.plain.example")));
        world.tlsa("mx.plain.example", List.of("3 1 1 " + DIGEST));
        DnsClient dns = resolverMode();

        assertThat(dns.checkDnssec().toCompletableFuture().join().available())
                .as(unbound.log())
                .isTrue();
        Secured<MxRecord> mx = join(dns.secureMx("dane.test"));
        Secured<TlsaRecordData> tlsa = join(dns.tlsa("mx.dane.test"));
        Secured<InetAddress> address = join(dns.secureAddresses("mx.dane.test"));
        Secured<TlsaRecordData> noTlsa = join(dns.tlsa("nodane.dane.test"));
        Secured<MxRecord> unsignedMx = join(dns.secureMx("plain.example"));
        Secured<TlsaRecordData> unsignedTlsa = join(dns.tlsa("mx.plain.example"));

        assertThat(mx.security()).as(unbound.log()).isEqualTo(Security.SECURE);
        assertThat(mx.answer().valuesOrEmpty()).containsExactly(new MxRecord(10, "mx.dane.test"));
        assertThat(tlsa.security()).isEqualTo(Security.SECURE);
        assertThat(tlsa.answer().valuesOrEmpty()).hasSize(1);
        assertThat(address.security()).isEqualTo(Security.SECURE);
        assertThat(noTlsa.isSecureDenial()).as(noTlsa.reason()).isTrue();
        assertThat(unsignedMx.security()).as(unbound.log()).isEqualTo(Security.INSECURE);
        assertThat(unsignedMx.answer().valuesOrEmpty()).containsExactly(new MxRecord(10, "mx.plain.example"));
        assertThat(unsignedTlsa.security()).isEqualTo(Security.INSECURE);
        assertThat(unsignedTlsa.answer().valuesOrEmpty()).hasSize(1);
    }

    @Test
    @DisplayName("RFC 4035 §5.5: a bogus TLSA is SERVFAIL from unbound, never SECURE: INDETERMINATE, a failed lookup")
    void bogusAnswerIsNeverSecure() throws Exception {
        world.tlsa("mx.dane.test", List.of("3 1 1 " + DIGEST));
        world.bogus("_25._tcp.mx.dane.test", Type.TLSA);
        world.a("mx.dane.test", InetAddress.getByName("127.0.0.2"));
        DnsClient dns = resolverMode();
        dns.checkDnssec().toCompletableFuture().join();

        Secured<TlsaRecordData> tlsa = join(dns.tlsa("mx.dane.test"));

        // The AD bit only says "validated"; a validation failure reaches us as SERVFAIL, a lookup failure.
        assertThat(tlsa.security()).as(unbound.log()).isEqualTo(Security.INDETERMINATE);
        assertThat(tlsa.answer()).isInstanceOf(DnsResult.Failure.class);
        assertThat(tlsa.answer().describe()).contains("SERVFAIL");
        assertThat(join(dns.secureAddresses("mx.dane.test")).security()).isEqualTo(Security.SECURE);
        assertThat(unbound.log()).contains("validation failure").contains("_25._tcp.mx.dane.test");
    }

    @Test
    @DisplayName("RFC 7672 §2.1.1: the relay started with dns.dnssec: resolver at unbound finds DNSSEC available")
    void relayFindsDnssecAvailableThroughUnbound() throws Exception {
        RelayConfigFile config = RelayConfigFile.write(dir, 100, 100, """
                dns:
                  servers: ["%s"]
                  dnssec: resolver
                delivery:
                  paused: true
                """.formatted(unbound.address()));
        try (RelayProcess relay = RelayProcess.start(RelayJar.located(), config, dir.resolve("relay.log"))) {
            Await.until(
                    Duration.ofSeconds(30),
                    () -> relay.metrics().contains(AVAILABLE),
                    () -> "no \"" + AVAILABLE + "\" in /metrics; log: " + relay.logLines() + "\nunbound: "
                            + unbound.log());

            assertThat(relay.logLines())
                    .anyMatch(line -> line.contains("DNSSEC available"))
                    .noneMatch(line -> line.contains("DNSSEC UNAVAILABLE"));
        }
    }
}
