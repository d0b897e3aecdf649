package org.stsrelay.policy.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;

class DnssecLookupTest {

    private static final String TLSA_HEX = "8d02536c887482bc34ff54e41d2ba659bf85b341a0a20afadb5813dcfbcf286d";

    @TempDir
    Path dir;

    private TestDnsServer server;
    private TestZone root;
    private TestZone secure;
    private TestZone plain;
    private final AtomicLong nanos = new AtomicLong();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void world() throws Exception {
        secure = TestZone.signed("secure.example")
                .add("@ MX 10 mx.secure.example.")
                .add("mx A 127.0.0.1")
                .add("_25._tcp.mx TLSA 3 1 1 " + TLSA_HEX)
                .add("nodane A 127.0.0.2")
                .add("alias CNAME mx.secure.example.")
                .add("outside CNAME host.plain.example.");
        plain = TestZone.unsigned("plain.example")
                .add("@ MX 10 host.plain.example.")
                .add("host A 127.0.0.3")
                .add("_25._tcp.host TLSA 3 1 1 " + TLSA_HEX);
        root = TestZone.signed(".").delegate(secure).delegate(plain);
        server = new TestDnsServer().publish(root).publish(secure).publish(plain);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private DnsClient client(DnssecMode mode, TestZone anchor) throws Exception {
        DnsClient client = unchecked(mode, anchor);
        client.checkDnssec().toCompletableFuture().join();
        return client;
    }

    private DnsClient unchecked(DnssecMode mode, TestZone anchor) throws Exception {
        Path anchors = dir.resolve("anchors-" + anchor.origin().toString().replace('.', '_') + ".txt");
        Files.writeString(anchors, anchor.anchorText());
        DnsSettings settings = DnsSettings.DEFAULTS
                .withServers(List.of(server.address()))
                .withTimeout(Duration.ofSeconds(2))
                .withDnssec(DnssecSettings.DEFAULTS.with(mode, Optional.of(anchors)));
        return DnsClient.create(settings, registry, nanos::get);
    }

    private static <T> Secured<T> join(CompletionStage<Secured<T>> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    @DisplayName("RFC 4035 §5: signed MX, address and TLSA answers validate from the anchor and are SECURE")
    void signedAnswersAreSecure() throws Exception {
        DnsClient dns = client(DnssecMode.VALIDATE, root);

        Secured<MxRecord> mx = join(dns.secureMx("secure.example"));
        Secured<InetAddress> address = join(dns.secureAddresses("mx.secure.example"));
        Secured<TlsaRecordData> tlsa = join(dns.tlsa("mx.secure.example"));

        assertThat(mx.security()).isEqualTo(Security.SECURE);
        assertThat(mx.answer().valuesOrEmpty()).containsExactly(new MxRecord(10, "mx.secure.example"));
        assertThat(address.security()).isEqualTo(Security.SECURE);
        assertThat(address.answer().valuesOrEmpty()).containsExactly(InetAddress.getByName("127.0.0.1"));
        assertThat(tlsa.security()).isEqualTo(Security.SECURE);
        assertThat(tlsa.answer().valuesOrEmpty())
                .containsExactly(new TlsaRecordData(3, 1, 1, HexFormat.of().parseHex(TLSA_HEX)));
        assertThat(dns.dnssecStatus().available()).isTrue();
        assertThat(registry.get("sts.relay.dns.dnssec.answers")
                        .tag("type", "TLSA")
                        .tag("security", "secure")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    @DisplayName(
            "RFC 7672 §2.1.1: a lookup before the first availability check waits for it, never insecure by default")
    void firstLookupWaitsForFirstCheck() throws Exception {
        DnsClient dns = unchecked(DnssecMode.VALIDATE, root);

        assertThat(dns.dnssecStatus().available()).isFalse();
        assertThat(join(dns.secureMx("secure.example")).security()).isEqualTo(Security.SECURE);
        assertThat(dns.dnssecStatus().available()).isTrue();
    }

    @Test
    @DisplayName("RFC 4035 §5.2: an unsigned delegation (no DS, proven by NSEC) is INSECURE")
    void unsignedDelegationIsInsecure() throws Exception {
        DnsClient dns = client(DnssecMode.VALIDATE, root);

        Secured<MxRecord> mx = join(dns.secureMx("plain.example"));
        Secured<TlsaRecordData> tlsa = join(dns.tlsa("host.plain.example"));

        assertThat(mx.security()).isEqualTo(Security.INSECURE);
        assertThat(mx.answer().valuesOrEmpty()).containsExactly(new MxRecord(10, "host.plain.example"));
        assertThat(tlsa.security()).isEqualTo(Security.INSECURE);
        assertThat(tlsa.answer().valuesOrEmpty()).hasSize(1);
    }

    @Test
    @DisplayName("RFC 4035 §5.5: a record that does not match its RRSIG is BOGUS")
    void tamperedRecordIsBogus() throws Exception {
        server.tamper(new ARecord(
                TestDnsServer.name("mx.secure.example"), DClass.IN, 300, InetAddress.getByName("127.0.0.66")));
        DnsClient dns = client(DnssecMode.VALIDATE, root);

        Secured<InetAddress> address = join(dns.secureAddresses("mx.secure.example"));

        assertThat(address.security()).isEqualTo(Security.BOGUS);
        assertThat(address.answer()).isInstanceOf(DnsResult.Failure.class);
        assertThat(address.reason()).isNotBlank();
    }

    @Test
    @DisplayName("RFC 4035 §5.4: NSEC-proven absence of TLSA is a SECURE denial")
    void nsecProvenAbsenceIsSecureDenial() throws Exception {
        DnsClient dns = client(DnssecMode.VALIDATE, root);

        Secured<TlsaRecordData> tlsa = join(dns.tlsa("nodane.secure.example"));

        assertThat(tlsa.security()).isEqualTo(Security.SECURE);
        assertThat(tlsa.isSecureDenial()).isTrue();
        assertThat(tlsa.answer()).isInstanceOf(DnsResult.NxDomain.class);
    }

    @Test
    @DisplayName("RFC 7672 §2.2.2: a CNAME'd host takes the weakest status along the chain")
    void cnameChainTakesWeakestStatus() throws Exception {
        DnsClient dns = client(DnssecMode.VALIDATE, root);

        Secured<InetAddress> signedChain = join(dns.secureAddresses("alias.secure.example"));
        Secured<InetAddress> leavesSignedZone = join(dns.secureAddresses("outside.secure.example"));

        assertThat(signedChain.security()).isEqualTo(Security.SECURE);
        assertThat(((DnsResult.Records<InetAddress>) signedChain.answer()).canonicalName())
                .isEqualTo("mx.secure.example");
        assertThat(leavesSignedZone.security()).isEqualTo(Security.INSECURE);
        assertThat(leavesSignedZone.answer().valuesOrEmpty()).containsExactly(InetAddress.getByName("127.0.0.3"));
    }

    @Test
    @DisplayName("RFC 4033 §5: a name no trust anchor covers is INDETERMINATE")
    void nameOutsideAnchorIsIndeterminate() throws Exception {
        DnsClient dns = client(DnssecMode.VALIDATE, secure);

        assertThat(join(dns.secureMx("secure.example")).security()).isEqualTo(Security.SECURE);
        assertThat(join(dns.secureMx("plain.example")).security()).isEqualTo(Security.INDETERMINATE);
    }

    @Test
    @DisplayName("RFC 6840 §5.7: resolver mode takes the status from the resolver's AD bit")
    void resolverModeReadsAdBit() throws Exception {
        DnsClient dns = client(DnssecMode.RESOLVER, root);
        assertThat(dns.dnssecStatus().available()).isFalse();

        server.authenticData(true);
        dns.checkDnssec().toCompletableFuture().join();

        assertThat(dns.dnssecStatus().available()).isTrue();
        assertThat(join(dns.secureMx("secure.example")).security()).isEqualTo(Security.SECURE);
        server.authenticData(false);
        assertThat(join(dns.tlsa("mx.secure.example")).security()).isEqualTo(Security.INSECURE);
    }

    @Test
    @DisplayName("RFC 7672 §2.1.1: resolvers that strip RRSIGs make DNSSEC unavailable until the next check succeeds")
    void strippedSignaturesMakeDnssecUnavailableUntilNextCheck() throws Exception {
        server.stripSignatures(true);
        DnsClient dns = client(DnssecMode.VALIDATE, root);

        Secured<MxRecord> whileStripped = join(dns.secureMx("secure.example"));
        double gaugeWhileStripped =
                registry.get("sts.relay.dns.dnssec.available").gauge().value();
        server.stripSignatures(false);
        DnssecStatus recovered = dns.checkDnssec().toCompletableFuture().join();

        assertThat(whileStripped.security()).isEqualTo(Security.INSECURE);
        assertThat(whileStripped.reason()).startsWith("DNSSEC unavailable");
        assertThat(whileStripped.answer().valuesOrEmpty()).containsExactly(new MxRecord(10, "mx.secure.example"));
        assertThat(gaugeWhileStripped).isZero();
        assertThat(recovered.available()).isTrue();
        assertThat(registry.get("sts.relay.dns.dnssec.available").gauge().value())
                .isEqualTo(1.0);
        assertThat(join(dns.secureMx("secure.example")).security()).isEqualTo(Security.SECURE);
    }

    @Test
    @DisplayName("RFC 2308 §5: validated answers are cached within their TTL and looked up again after it")
    void answersAreCachedWithinTtl() throws Exception {
        DnsClient dns = client(DnssecMode.VALIDATE, root);
        join(dns.secureAddresses("mx.secure.example"));
        server.tamper(new ARecord(
                TestDnsServer.name("mx.secure.example"), DClass.IN, 300, InetAddress.getByName("127.0.0.66")));

        Secured<InetAddress> cached = join(dns.secureAddresses("mx.secure.example"));
        nanos.addAndGet(Duration.ofSeconds(301).toNanos());
        Secured<InetAddress> refetched = join(dns.secureAddresses("mx.secure.example"));

        assertThat(cached.security()).isEqualTo(Security.SECURE);
        assertThat(refetched.security()).isEqualTo(Security.BOGUS);
    }

    @Test
    @DisplayName("off mode: every answer is INSECURE and the MTA-STS lookups are unchanged")
    void offModeIsInsecure() throws Exception {
        DnsClient dns = client(DnssecMode.OFF, root);

        assertThat(join(dns.secureMx("secure.example")).security()).isEqualTo(Security.INSECURE);
        assertThat(dns.mx("secure.example").toCompletableFuture().join().valuesOrEmpty())
                .containsExactly(new MxRecord(10, "mx.secure.example"));
        assertThat(dns.dnssecStatus().available()).isFalse();
    }
}
