package org.stsrelay.delivery;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.stsrelay.config.DaneConfig;
import org.stsrelay.config.DeliveryConfig;
import org.stsrelay.config.MtaStsConfig.Enforcement;
import org.stsrelay.policy.NoPolicyCause;
import org.stsrelay.policy.ParseResult;
import org.stsrelay.policy.Policy;
import org.stsrelay.policy.PolicyLookup;
import org.stsrelay.policy.PolicyParser;
import org.stsrelay.policy.PolicySource;
import org.stsrelay.policy.fetch.TestCa;
import org.stsrelay.policy.testing.FakeDns;
import org.stsrelay.policy.testing.FakeTime;
import org.stsrelay.spool.Envelope;
import org.stsrelay.spool.QueueId;

/**
 * What the delivery tests share: small SMTP servers on 127.0.0.x on one port, a fake DNS, an event loop, a meter
 * registry, and deliveries that trust one test CA. Closes everything it started.
 */
final class DeliveryFixture implements AutoCloseable {

    static final Set<String> ESMTP = Set.of("PIPELINING", "8BITMIME", "STARTTLS", "SIZE 1000000");

    final FakeDns dns = new FakeDns();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** The deliveries' clock: tests move it, e.g. to let a pooled connection sit idle. */
    final FakeTime clock = new FakeTime(Instant.now());

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final TestCa trusted;
    private int port;

    /** A fixture whose deliveries trust {@code trusted}. */
    DeliveryFixture(TestCa trusted) {
        this.trusted = trusted;
    }

    /** Starts an MX named {@code name} on {@code ip} and publishes its A record. */
    TestMx mx(String ip, String name, Optional<TestCa.Issued> certificate, Set<String> extensions, Set<String> refused)
            throws Exception {
        TestMx server = new TestMx(ip, port, certificate, extensions, refused);
        port = server.port();
        closing.add(server);
        dns.address(name, InetAddress.getByName(ip));
        return server;
    }

    /** A delivery stage with DANE enabled and no overrides. */
    MxDelivery delivery(PolicySource policies) {
        return delivery(policies, DaneConfig.Mode.ENABLED, Map.of());
    }

    /** A delivery stage to the MX servers' port, with 5-second timeouts. */
    MxDelivery delivery(PolicySource policies, DaneConfig.Mode dane, Map<String, DeliveryConfig.Override> overrides) {
        Duration five = Duration.ofSeconds(5);
        DeliveryConfig.Timeouts t = new DeliveryConfig.Timeouts(five, five, five, five, five, five, five, five, five);
        DeliveryConfig config = new DeliveryConfig(
                port,
                false,
                List.of(Duration.ofMinutes(5)),
                Duration.ofDays(5),
                Duration.ZERO,
                10,
                5,
                100,
                Duration.ofMinutes(1),
                true,
                false,
                t,
                overrides,
                DeliveryConfig.TlsRequiredHeader.HONOR);
        MxDelivery delivery = new MxDelivery(
                config,
                Enforcement.PUBLISHED,
                dane,
                "relay.test",
                dns,
                policies,
                List.of(trusted.certificate()),
                group,
                registry,
                clock,
                new Random(1));
        closing.add(0, delivery);
        return delivery;
    }

    /** The value of counter {@code name} with {@code tags}; 0 when it does not exist. */
    double count(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    /** A published policy of example.com in {@code mode} with {@code mx} patterns. */
    static PolicySource policy(String mode, String... mx) {
        StringBuilder text = new StringBuilder("version: STSv1\r\nmode: " + mode + "\r\n");
        for (String pattern : mx) {
            text.append("mx: ").append(pattern).append("\r\n");
        }
        text.append("max_age: 86400\r\n");
        ParseResult.Valid valid = (ParseResult.Valid) PolicyParser.parse(text.toString());
        Policy policy = new Policy("example.com", "id1", valid.document(), Instant.now());
        return domain -> CompletableFuture.completedFuture(
                new PolicyLookup.Found(policy, true, Instant.now().plusSeconds(86400)));
    }

    /** No _mta-sts record. */
    static PolicySource noPolicy() {
        return domain -> CompletableFuture.completedFuture(
                new PolicyLookup.NoPolicy(NoPolicyCause.NO_RECORD, "no _mta-sts record", Optional.empty()));
    }

    /** A message with {@code params} to {@code recipients}, all of one domain. */
    static DeliveryRequest request(Envelope.MailParams params, String... recipients) {
        List<Envelope.Recipient> list = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        for (String r : recipients) {
            indexes.add(list.size());
            list.add(Envelope.Recipient.of(r));
        }
        Envelope envelope = new Envelope(
                new QueueId("000000000000001A"),
                "sender@relay.test",
                list,
                params,
                new Envelope.ClientInfo("10.0.0.5", "client", Optional.empty(), Optional.empty(), Optional.empty()),
                Instant.now());
        byte[] content = "Subject: hi\r\n\r\n.leading dot\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        MessageContent body = new MessageContent() {
            @Override
            public long size() {
                return content.length;
            }

            @Override
            public ReadableByteChannel open() {
                return Channels.newChannel(new ByteArrayInputStream(content));
            }
        };
        String domain = recipients[0].substring(recipients[0].indexOf('@') + 1);
        return new DeliveryRequest(envelope, domain, indexes, body, false, true, false);
    }

    /**
     * A plain message to {@code recipients} whose {@code content} is already in memory; reading it through
     * {@link MessageContent#open()} fails, so a test sees which way it was sent.
     */
    static DeliveryRequest inMemory(String content, String... recipients) {
        DeliveryRequest plain = request(recipients);
        byte[] octets = content.getBytes(StandardCharsets.US_ASCII);
        MessageContent body = new MessageContent() {
            @Override
            public long size() {
                return octets.length;
            }

            @Override
            public ReadableByteChannel open() throws java.io.IOException {
                throw new java.io.IOException("in-memory content must not be read from the spool");
            }

            @Override
            public Optional<java.nio.ByteBuffer> inMemory() {
                return Optional.of(java.nio.ByteBuffer.wrap(octets).asReadOnlyBuffer());
            }
        };
        return new DeliveryRequest(plain.envelope(), plain.domain(), plain.recipients(), body, false, true, false);
    }

    /** A plain message to {@code recipients}. */
    static DeliveryRequest request(String... recipients) {
        return request(Envelope.MailParams.none(), recipients);
    }

    /** Runs one delivery attempt, bounded. */
    static DeliveryReport run(MxDelivery delivery, DeliveryRequest request) throws Exception {
        return delivery.deliver(request).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
