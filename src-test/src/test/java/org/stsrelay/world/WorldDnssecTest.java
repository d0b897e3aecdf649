package org.stsrelay.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.dns.DnsSettings;
import org.stsrelay.policy.dns.DnssecMode;
import org.stsrelay.policy.dns.DnssecSettings;
import org.stsrelay.policy.dns.MxRecord;
import org.stsrelay.policy.dns.Secured;
import org.stsrelay.policy.dns.Security;
import org.stsrelay.policy.dns.TlsaRecordData;

class WorldDnssecTest {

    private static final String DIGEST = "8d02536c887482bc34ff54e41d2ba659bf85b341a0a20afadb5813dcfbcf286d";

    @TempDir
    Path dir;

    private WorldDns world;
    private DnsClient dns;

    @BeforeEach
    void start() throws Exception {
        world = WorldDns.start();
        dns = client(world);
    }

    private DnsClient client(WorldDns server) throws IOException {
        Path anchors = Files.writeString(Files.createTempFile(dir, "anchors", ".txt"), server.anchorText());
        return DnsClient.create(DnsSettings.DEFAULTS.withServers(List.of(server.address()))
                        .withDnssec(DnssecSettings.DEFAULTS.with(DnssecMode.VALIDATE, Optional.of(anchors))),
                new SimpleMeterRegistry(), () -> 0L);
    }

    @AfterEach
    void stop() throws Exception {
        world.close();
    }

    @Test
    @DisplayName("RFC 4035 §5: the world's answers validate from its anchor; TLSA published by a test is SECURE")
    void worldAnswersAreSecure() {
        world.mx("dane.test", List.of(new WorldDns.Mx(10, "mx.dane.test")));
        world.tlsa("mx.dane.test", List.of("3 1 1 " + DIGEST));

        assertThat(dns.checkDnssec().toCompletableFuture().join().available()).isTrue();
        Secured<MxRecord> mx = dns.secureMx("dane.test").toCompletableFuture().join();
        Secured<TlsaRecordData> tlsa = dns.tlsa("mx.dane.test").toCompletableFuture().join();

        assertThat(mx.security()).isEqualTo(Security.SECURE);
        assertThat(mx.answer().valuesOrEmpty()).containsExactly(new MxRecord(10, "mx.dane.test"));
        assertThat(tlsa.security()).isEqualTo(Security.SECURE);
        assertThat(tlsa.answer().valuesOrEmpty())
                .containsExactly(new TlsaRecordData(3, 1, 1, HexFormat.of().parseHex(DIGEST)));
    }

    @Test
    @DisplayName("RFC 2308 §5: with a TTL, validated answers and denials come from the relay's cache; TTL 0 asks again")
    void ttlDecidesWhetherTheCacheAnswers() throws Exception {
        try (WorldDns cached = WorldDns.start(Duration.ofMinutes(5))) {
            DnsClient client = client(cached);
            long[] queries = {lookUpTwice(cached, client), lookUpTwice(world, dns)};

            assertThat(queries[0]).as("second round with TTL 300 s").isZero();
            assertThat(queries[1]).as("second round with TTL 0: MX and TLSA asked again").isGreaterThanOrEqualTo(2);
        }
    }

    /** Looks up a secure MX and a secure TLSA denial twice; returns the queries the second round sent. */
    private long lookUpTwice(WorldDns server, DnsClient client) {
        server.mx("dane.test", List.of(new WorldDns.Mx(10, "mx.dane.test")));
        client.checkDnssec().toCompletableFuture().join();
        long before = 0;
        for (int round = 0; round < 2; round++) {
            before = server.queries();
            assertThat(client.secureMx("dane.test").toCompletableFuture().join().security()).isEqualTo(Security.SECURE);
            assertThat(client.tlsa("mx.dane.test").toCompletableFuture().join().isSecureDenial()).isTrue();
        }
        return server.queries() - before;
    }

    @Test
    @DisplayName("RFC 4035 §5.4: a host without TLSA in the world is a SECURE denial")
    void missingTlsaIsSecureDenial() {
        world.mx("plain.test", List.of(new WorldDns.Mx(10, "mx.plain.test")));
        dns.checkDnssec().toCompletableFuture().join();

        Secured<TlsaRecordData> tlsa = dns.tlsa("mx.plain.test").toCompletableFuture().join();

        assertThat(tlsa.isSecureDenial()).isTrue();
        assertThat(dns.mx("nowhere.test").toCompletableFuture().join().describe()).contains("NXDOMAIN");
    }
}
