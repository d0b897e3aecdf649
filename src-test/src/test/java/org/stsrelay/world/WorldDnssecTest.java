package org.stsrelay.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.policy.dns.DnsSettings;
import org.stsrelay.policy.dns.DnssecMode;
import org.stsrelay.policy.dns.DnssecSettings;
import org.stsrelay.policy.dns.MxRecord;
import org.stsrelay.policy.dns.Secured;
import org.stsrelay.policy.dns.Security;
import org.stsrelay.policy.dns.TlsaRecordData;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The world's DNSSEC facilities, each checked with the relay's own validating DNS client from the world's anchor. */
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
        return DnsClient.create(
                DnsSettings.DEFAULTS
                        .withServers(List.of(server.address()))
                        .withDnssec(DnssecSettings.DEFAULTS.with(DnssecMode.VALIDATE, Optional.of(anchors))),
                new SimpleMeterRegistry(),
                () -> 0L);
    }

    @AfterEach
    void stop() throws Exception {
        world.close();
    }

    // The record types of the authority section of the world's answer to a query with the DO bit.
    private List<Integer> authorityTypes(String name, int type) throws Exception {
        SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
        resolver.setPort(world.port());
        resolver.setEDNS(0, 0, ExtendedFlags.DO, List.of());
        Message response =
                resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN)));
        return response.getSection(Section.AUTHORITY).stream()
                .map(Record::getType)
                .toList();
    }

    private static <T> Secured<T> join(CompletionStage<Secured<T>> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    @DisplayName("RFC 2308 §5: with a TTL, validated answers and denials come from the relay's cache; TTL 0 asks again")
    void ttlDecidesWhetherTheCacheAnswers() throws Exception {
        try (WorldDns cached = WorldDns.start(Duration.ofMinutes(5))) {
            DnsClient client = client(cached);
            long[] queries = {lookUpTwice(cached, client), lookUpTwice(world, dns)};

            assertThat(queries[0]).as("second round with TTL 300 s").isZero();
            assertThat(queries[1])
                    .as("second round with TTL 0: MX and TLSA asked again")
                    .isGreaterThanOrEqualTo(2);
        }
    }

    /** Looks up a secure MX and a secure TLSA denial twice; returns the queries the second round sent. */
    private long lookUpTwice(WorldDns server, DnsClient client) {
        server.mx("dane.test", List.of(new WorldDns.Mx(10, "mx.dane.test")));
        client.checkDnssec().toCompletableFuture().join();
        long before = 0;
        for (int round = 0; round < 2; round++) {
            before = server.queries();
            assertThat(client.secureMx("dane.test").toCompletableFuture().join().security())
                    .isEqualTo(Security.SECURE);
            assertThat(client.tlsa("mx.dane.test").toCompletableFuture().join().isSecureDenial())
                    .isTrue();
        }
        return server.queries() - before;
    }

    @Test
    @DisplayName("RFC 4035 §5: the world's answers validate from its anchor; TLSA published by a test is SECURE")
    void worldAnswersAreSecure() {
        world.mx("dane.test", List.of(new WorldDns.Mx(10, "mx.dane.test")));
        world.tlsa("mx.dane.test", List.of("3 1 1 " + DIGEST));

        assertThat(dns.checkDnssec().toCompletableFuture().join().available()).isTrue();
        Secured<MxRecord> mx = join(dns.secureMx("dane.test"));
        Secured<TlsaRecordData> tlsa = join(dns.tlsa("mx.dane.test"));

        assertThat(mx.security()).isEqualTo(Security.SECURE);
        assertThat(mx.answer().valuesOrEmpty()).containsExactly(new MxRecord(10, "mx.dane.test"));
        assertThat(tlsa.security()).isEqualTo(Security.SECURE);
        assertThat(tlsa.answer().valuesOrEmpty())
                .containsExactly(new TlsaRecordData(3, 1, 1, HexFormat.of().parseHex(DIGEST)));
    }

    @ParameterizedTest(name = "NSEC3: {0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("RFC 4035 §5.4, RFC 5155 §8.5: a host without TLSA is a SECURE denial, proven by NSEC or NSEC3")
    void missingTlsaIsSecureDenial(boolean nsec3) throws Exception {
        world.useNsec3(nsec3);
        world.mx("plain.test", List.of(new WorldDns.Mx(10, "mx.plain.test")));
        world.a("mx.plain.test", InetAddress.getByName("127.0.0.2"));

        Secured<TlsaRecordData> tlsa = join(dns.tlsa("mx.plain.test"));
        Secured<InetAddress> address = join(dns.secureAddresses("mx.plain.test"));

        assertThat(tlsa.isSecureDenial()).as(tlsa.reason()).isTrue();
        assertThat(authorityTypes("_25._tcp.mx.plain.test", Type.TLSA))
                .contains(nsec3 ? Type.NSEC3 : Type.NSEC)
                .doesNotContain(nsec3 ? Type.NSEC : Type.NSEC3);
        assertThat(address.security()).as(address.reason()).isEqualTo(Security.SECURE);
        assertThat(address.answer().valuesOrEmpty()).containsExactly(InetAddress.getByName("127.0.0.2"));
        assertThat(dns.mx("nowhere.test").toCompletableFuture().join().describe())
                .contains("NXDOMAIN");
    }

    @ParameterizedTest(name = "NSEC3: {0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("RFC 4035 §5.2: TLSA, A and MX in a zone delegated without DS are INSECURE, not BOGUS")
    void unsignedZoneIsInsecure(boolean nsec3) throws Exception {
        world.useNsec3(nsec3);
        world.unsignedZone("plain.example");
        world.mx("plain.example", List.of(new WorldDns.Mx(10, "mx.plain.example")));
        world.a("mx.plain.example", InetAddress.getByName("127.0.0.3"));
        world.tlsa("mx.plain.example", List.of("3 1 1 " + DIGEST));
        world.tlsa("mx.signed.test", List.of("3 1 1 " + DIGEST));

        Secured<MxRecord> mx = join(dns.secureMx("plain.example"));
        Secured<InetAddress> address = join(dns.secureAddresses("mx.plain.example"));
        Secured<TlsaRecordData> tlsa = join(dns.tlsa("mx.plain.example"));
        Secured<TlsaRecordData> noTlsa = join(dns.tlsa("other.plain.example"));

        assertThat(mx.security()).as(mx.reason()).isEqualTo(Security.INSECURE);
        assertThat(mx.answer().valuesOrEmpty()).containsExactly(new MxRecord(10, "mx.plain.example"));
        assertThat(address.security()).as(address.reason()).isEqualTo(Security.INSECURE);
        assertThat(address.answer().valuesOrEmpty()).containsExactly(InetAddress.getByName("127.0.0.3"));
        assertThat(tlsa.security()).as(tlsa.reason()).isEqualTo(Security.INSECURE);
        assertThat(tlsa.answer().valuesOrEmpty()).hasSize(1);
        assertThat(noTlsa.security()).as(noTlsa.reason()).isEqualTo(Security.INSECURE);
        assertThat(noTlsa.answer()).isInstanceOf(DnsResult.NxDomain.class);
        assertThat(join(dns.tlsa("mx.signed.test")).security()).isEqualTo(Security.SECURE);
    }

    @Test
    @DisplayName("RFC 7672 §2.2.2: a signed CNAME to a signed host is SECURE and names the target as canonical")
    void signedCnameIsSecure() throws Exception {
        world.a("mx.dane.test", InetAddress.getByName("127.0.0.4"));
        world.cname("alias.dane.test", "mx.dane.test");

        Secured<InetAddress> address = join(dns.secureAddresses("alias.dane.test"));

        assertThat(address.security()).as(address.reason()).isEqualTo(Security.SECURE);
        assertThat(address.answer())
                .isEqualTo(new DnsResult.Records<>(List.of(InetAddress.getByName("127.0.0.4")), "mx.dane.test"));
    }

    @Test
    @DisplayName("RFC 7672 §2.2.2: a signed CNAME into an unsigned zone takes the weakest status, INSECURE")
    void cnameIntoUnsignedZoneIsInsecure() throws Exception {
        world.unsignedZone("plain.example");
        world.a("host.plain.example", InetAddress.getByName("127.0.0.5"));
        world.cname("outside.dane.test", "host.plain.example");

        Secured<InetAddress> address = join(dns.secureAddresses("outside.dane.test"));

        assertThat(address.security()).as(address.reason()).isEqualTo(Security.INSECURE);
        assertThat(address.answer())
                .isEqualTo(new DnsResult.Records<>(List.of(InetAddress.getByName("127.0.0.5")), "host.plain.example"));
    }

    @Test
    @DisplayName("RFC 4035 §5.5: an RRset served with a broken signature is BOGUS; the rest of the world is not")
    void brokenSignatureIsBogus() throws Exception {
        world.a("mx.dane.test", InetAddress.getByName("127.0.0.6"));
        world.tlsa("mx.dane.test", List.of("3 1 1 " + DIGEST));
        world.bogus("_25._tcp.mx.dane.test", Type.TLSA);

        Secured<TlsaRecordData> tlsa = join(dns.tlsa("mx.dane.test"));
        Secured<InetAddress> address = join(dns.secureAddresses("mx.dane.test"));

        assertThat(tlsa.security()).as(tlsa.reason()).isEqualTo(Security.BOGUS);
        assertThat(tlsa.answer()).isInstanceOf(DnsResult.Failure.class);
        assertThat(address.security()).as(address.reason()).isEqualTo(Security.SECURE);
    }
}
