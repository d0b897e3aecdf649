package org.stsrelay.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.stsrelay.config.ConfigLoader;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.dane.DaneFixtures;
import org.stsrelay.dane.TlsaRecord;
import org.stsrelay.inbound.SmtpServer;
import org.stsrelay.policy.dns.TestDnsServer;
import org.stsrelay.policy.dns.TestZone;
import org.stsrelay.policy.fetch.TestCa;
import org.stsrelay.spool.FileSpool;
import org.xbill.DNS.DClass;
import org.xbill.DNS.TLSARecord;

/**
 * A signed DNS world for {@code check}'s DANE items, loopback only: a signed root whose DS is the trust anchor,
 * the signed zone {@code dane.example} with one domain per DANE case, the unsigned delegation {@code plain.example},
 * and one STARTTLS MX on 127.0.0.1 with a self-signed certificate that every MX host name points to.
 */
final class DaneWorld implements AutoCloseable {

    final Path dir;
    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    final TestDnsServer dns = new TestDnsServer();
    final TestZone root = TestZone.signed(".");
    final TestZone signed = TestZone.signed("dane.example");
    final TestZone plain = TestZone.unsigned("plain.example");
    /** The record of the MX's own key, the "3 1 1" a correct set-up publishes. */
    final TlsaRecord served;
    /** A "3 1 1" record of another key, so it matches nothing the MX presents. */
    final TlsaRecord otherKey;

    private final SmtpServer mx;
    private final FileSpool spool;

    DaneWorld(Path dir) throws Exception {
        this.dir = dir;
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        DaneFixtures.SelfSigned identity =
                DaneFixtures.selfSigned("mx.dane.example", now.minusSeconds(3600), now.plusSeconds(86_400 * 30L));
        DaneFixtures.SelfSigned other =
                DaneFixtures.selfSigned("other.dane.example", now.minusSeconds(3600), now.plusSeconds(86_400 * 30L));
        served = DaneFixtures.tlsa(3, 1, 1, identity.certificate());
        otherKey = DaneFixtures.tlsa(3, 1, 1, other.certificate());
        zones(identity, new TestCa("next issuing CA"));
        Files.writeString(dir.resolve("anchors.txt"), root.anchorText());
        Files.writeString(dir.resolve("mx-cert.pem"), PolicyWorld.pem(identity.certificate()));
        Files.writeString(dir.resolve("mx-key.pem"), PolicyWorld.pem(new JcaPKCS8Generator(identity.key(), null)));
        RelayConfig mxConfig = new ConfigLoader()
                .load(
                        "hostname: mx.dane.example\n"
                                + "spool:\n  directory: " + dir.resolve("mx-spool") + "\n"
                                + "inbound:\n  listen: [\"127.0.0.1:0\"]\n  tls:\n    certificate: "
                                + dir.resolve("mx-cert.pem")
                                + "\n    private-key: " + dir.resolve("mx-key.pem") + "\n",
                        "mx.yaml");
        spool = FileSpool.open(mxConfig.spool(), new SimpleMeterRegistry(), Clock.systemUTC());
        mx = new SmtpServer(
                "mx.dane.example", mxConfig.inbound(), spool, group, new SimpleMeterRegistry(), Clock.systemUTC());
        mx.start();
    }

    private void zones(DaneFixtures.SelfSigned identity, TestCa nextCa) throws Exception {
        domain("match", served.presentation());
        domain("mismatch", otherKey.presentation());
        domain("bogus", served.presentation());
        domain("pkix", DaneFixtures.tlsa(1, 1, 1, identity.certificate()).presentation());
        domain(
                "rollover",
                served.presentation(),
                DaneFixtures.tlsa(2, 1, 1, nextCa.certificate()).presentation());
        domain("fullcert", DaneFixtures.tlsa(3, 0, 1, identity.certificate()).presentation());
        domain("nodane");
        // An MX host that is a CNAME within the signed zone: its TLSA records are those of the target (RFC 7672
        // §2.2.3).
        signed.add("cname MX 10 mx-cname.dane.example.").add("mx-cname CNAME mx-match.dane.example.");
        // A TLSA owner name aliased into the unsigned zone: the answer is insecure (RFC 7672 §2.2.3).
        domain("unsignedtlsa");
        signed.add("_25._tcp.mx-unsignedtlsa CNAME _25._tcp.host.plain.example.");
        plain.add("@ MX 10 host.plain.example.")
                .add("host A 127.0.0.1")
                .add("_25._tcp.host TLSA " + served.presentation());
        root.delegate(signed).delegate(plain);
        dns.publish(root).publish(signed).publish(plain);
        // RFC 4035 §5.5: a record changed after signing no longer matches its RRSIG, so the answer is bogus.
        dns.tamper(new TLSARecord(
                TestDnsServer.name("_25._tcp.mx-bogus.dane.example"), DClass.IN, 300, 3, 1, 1, otherKey.data()));
    }

    /** Publishes {@code name}.dane.example with MX mx-{@code name}.dane.example, its address and TLSA records. */
    private void domain(String name, String... tlsa) {
        signed.add(name + " MX 10 mx-" + name + ".dane.example.").add("mx-" + name + " A 127.0.0.1");
        for (String record : tlsa) {
            signed.add("_25._tcp.mx-" + name + " TLSA " + record);
        }
    }

    int mxPort() {
        return mx.boundAddresses().get(0).getPort();
    }

    /** A configuration validating from this world's root anchor. */
    Path config() throws IOException {
        return Files.writeString(
                dir.resolve("dane.yaml"),
                "spool:\n  directory: " + dir.resolve("spool") + "\n"
                        + "dns:\n  servers: [\"" + dns.address()
                        + "\"]\n  timeout: 2s\n  retries: 1\n  dnssec: validate\n"
                        + "  trust-anchors: " + dir.resolve("anchors.txt") + "\n"
                        + "mta-sts:\n  store-directory: " + dir.resolve("policies") + "\n  fetch-timeout: 2s\n"
                        + "  fetch-connect-timeout: 1s\n");
    }

    @Override
    public void close() throws Exception {
        mx.close();
        spool.close();
        dns.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
