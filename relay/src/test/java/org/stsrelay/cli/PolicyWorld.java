package org.stsrelay.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.stsrelay.config.ConfigLoader;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.inbound.SmtpServer;
import org.stsrelay.policy.dns.TestDnsServer;
import org.stsrelay.policy.fetch.TestCa;
import org.stsrelay.policy.fetch.TestHttpsServer;
import org.stsrelay.spool.FileSpool;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.TXTRecord;

/**
 * A local world for {@code check} and {@code policy} tests, loopback only: a DNS server, a test CA trusted through
 * {@code tls.extra-ca-file}, an HTTPS policy host with a good certificate and one with an untrusted one, and a
 * STARTTLS MX (the relay's own inbound server) whose certificate names {@code mx1.good.test}.
 */
final class PolicyWorld implements AutoCloseable {

    static final String POLICY = "version: STSv1\nmode: enforce\nmx: mx1.good.test\nmx: mx1.badmx.test\n"
            + "mx: mx1.wrongname.test\nmax_age: 604800\n";

    /** A policy with one clear reading and every flaw a lenient parser tolerates (RFC 8461 §3.2). */
    static final String SLOPPY_POLICY = "\nmode: enforce\nversion: STSv1 \nmx: mx1.sloppy.test.\nmax_age: 99999999\n";

    final Path dir;
    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    final TestDnsServer dns = new TestDnsServer();
    final TestCa ca = new TestCa("sts-relay check test root");
    final TestHttpsServer policyHost;
    final TestHttpsServer rogueHost;
    final TestHttpsServer sloppyHost;
    final SmtpServer mx;
    private final FileSpool spool;

    PolicyWorld(Path dir) throws Exception {
        this.dir = dir;
        Files.writeString(dir.resolve("ca.pem"), pem(ca.certificate()));
        policyHost = new TestHttpsServer(
                group,
                ca.issue("mta-sts.good.test", "mta-sts.nosts.test", "mta-sts.badmx.test", "mta-sts.wrongname.test"),
                TestHttpsServer.Reply.ok(POLICY));
        rogueHost = new TestHttpsServer(
                group, new TestCa("rogue root").issue("mta-sts.good.test"), TestHttpsServer.Reply.ok(POLICY));
        sloppyHost =
                new TestHttpsServer(group, ca.issue("mta-sts.sloppy.test"), TestHttpsServer.Reply.ok(SLOPPY_POLICY));
        TestCa.Issued mxIdentity = ca.issue("mx1.good.test");
        Files.writeString(
                dir.resolve("mx-cert.pem"),
                pem(mxIdentity.chain()[0]) + pem(mxIdentity.chain()[1]));
        Files.writeString(dir.resolve("mx-key.pem"), pem(new JcaPKCS8Generator(mxIdentity.key(), null)));
        RelayConfig mxConfig = new ConfigLoader()
                .load(
                        "hostname: mx1.good.test\n"
                                + "spool:\n  directory: " + dir.resolve("mx-spool") + "\n"
                                + "inbound:\n  listen: [\"127.0.0.1:0\"]\n  tls:\n    certificate: "
                                + dir.resolve("mx-cert.pem")
                                + "\n    private-key: " + dir.resolve("mx-key.pem") + "\n",
                        "mx.yaml");
        spool = FileSpool.open(mxConfig.spool(), new SimpleMeterRegistry(), Clock.systemUTC());
        mx = new SmtpServer(
                "mx1.good.test", mxConfig.inbound(), spool, group, new SimpleMeterRegistry(), Clock.systemUTC());
        mx.start();
        publish();
    }

    private void publish() throws Exception {
        domain("good.test", "v=STSv1; id=20260101", "v=TLSRPTv1; rua=mailto:tlsrpt@good.test");
        mxRecord("good.test", 10, "mx1.good.test");
        domain("badmx.test", "v=STSv1; id=1", null);
        mxRecord("badmx.test", 10, "mx1.badmx.test");
        mxRecord("badmx.test", 20, "mx2.elsewhere.test");
        domain("wrongname.test", "v=STSv1; id=1", null);
        mxRecord("wrongname.test", 10, "mx1.wrongname.test");
        mxRecord("nosts.test", 10, "mx1.nosts.test");
        // Sloppy but clear records: a bare "v=STSv1" string beside the record, a repeated id, two rua fields.
        domain("sloppy.test", "v=STSv1 ; id=a; id=b", "v=TLSRPTv1; rua=mailto:a@sloppy.test; rua=mailto:b@sloppy.test");
        dns.add(new TXTRecord(TestDnsServer.name("_mta-sts.sloppy.test"), DClass.IN, 300, "v=STSv1"));
        mxRecord("sloppy.test", 10, "mx1.sloppy.test");
    }

    private void domain(String domain, String sts, String tlsRpt) throws Exception {
        dns.add(new TXTRecord(TestDnsServer.name("_mta-sts." + domain), DClass.IN, 300, sts));
        address("mta-sts." + domain);
        if (tlsRpt != null) {
            dns.add(new TXTRecord(TestDnsServer.name("_smtp._tls." + domain), DClass.IN, 300, tlsRpt));
        }
    }

    private void mxRecord(String domain, int preference, String host) throws Exception {
        dns.add(new MXRecord(TestDnsServer.name(domain), DClass.IN, 300, preference, TestDnsServer.name(host)));
        address(host);
    }

    private void address(String host) throws Exception {
        dns.add(new ARecord(TestDnsServer.name(host), DClass.IN, 300, InetAddress.getByName("127.0.0.1")));
    }

    int mxPort() {
        return mx.boundAddresses().get(0).getPort();
    }

    /** A configuration using this world's DNS and CA, fetching policies from {@code httpsPort}. */
    Path config(String name, int httpsPort) throws IOException {
        return Files.writeString(
                dir.resolve(name + ".yaml"),
                "spool:\n  directory: " + dir.resolve("spool") + "\n"
                        + "dns:\n  servers: [\"" + dns.address()
                        + "\"]\n  timeout: 2s\n  retries: 1\n  dnssec: \"off\"\n"
                        + "tls:\n  extra-ca-file: " + dir.resolve("ca.pem") + "\n"
                        + "mta-sts:\n  store-directory: " + dir.resolve("policies") + "\n  fetch-port: " + httpsPort
                        + "\n  fetch-timeout: 10s\n  fetch-connect-timeout: 2s\n");
    }

    static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    @Override
    public void close() throws Exception {
        mx.close();
        spool.close();
        policyHost.close();
        rogueHost.close();
        sloppyHost.close();
        dns.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
