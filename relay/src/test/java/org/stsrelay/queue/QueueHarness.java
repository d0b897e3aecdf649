package org.stsrelay.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.stsrelay.config.DeliveryConfig;
import org.stsrelay.config.SpoolConfig;
import org.stsrelay.delivery.TlsResult;
import org.stsrelay.policy.testing.FakeTime;
import org.stsrelay.spool.CommitResult;
import org.stsrelay.spool.DeliveryState;
import org.stsrelay.spool.Envelope;
import org.stsrelay.spool.FileSpool;
import org.stsrelay.spool.IncomingMessage;
import org.stsrelay.spool.QueueId;
import org.stsrelay.spool.SpooledMessage;

/** A real spool on a temporary directory, a fake delivery, a clock and a scheduler the test drives. */
final class QueueHarness implements AutoCloseable {

    static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
    static final String HOSTNAME = "relay.example.net";

    final Path directory;
    final FakeTime clock = new FakeTime(START);
    final FakeDelivery delivery = new FakeDelivery();
    final List<TlsResult> tlsResults = new CopyOnWriteArrayList<>();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DeliveryConfig config;
    /** None by default, so that tests can assert exact retry times. */
    RetryJitter jitter = RetryJitter.none();

    long segmentSize = 64L * 1024 * 1024;
    ManualScheduler scheduler;
    FileSpool spool;
    DeliveryQueue queue;

    QueueHarness(Path directory) {
        this.directory = directory;
        this.config = config(
                List.of(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(20)),
                Duration.ofDays(5),
                Duration.ZERO,
                false,
                10,
                2);
    }

    static DeliveryConfig config(
            List<Duration> retries,
            Duration lifetime,
            Duration delayNotice,
            boolean paused,
            int maxConnections,
            int perDomain) {
        Duration t = Duration.ofMinutes(5);
        return new DeliveryConfig(
                25,
                paused,
                retries,
                lifetime,
                delayNotice,
                maxConnections,
                perDomain,
                100,
                Duration.ofSeconds(30),
                true,
                true,
                new DeliveryConfig.Timeouts(t, t, t, t, t, t, t, t, t),
                Map.of(),
                DeliveryConfig.TlsRequiredHeader.HONOR);
    }

    /** {@code config} with {@code tls-required-header} set to {@code header}. */
    static DeliveryConfig withTlsRequiredHeader(DeliveryConfig c, DeliveryConfig.TlsRequiredHeader header) {
        return new DeliveryConfig(
                c.port(),
                c.paused(),
                c.retrySchedule(),
                c.queueLifetime(),
                c.delayNotice(),
                c.maxConnections(),
                c.maxConnectionsPerDomain(),
                c.maxMessagesPerConnection(),
                c.connectionIdleTimeout(),
                c.ipv4(),
                c.ipv6(),
                c.timeouts(),
                c.overrides(),
                header);
    }

    /** Opens the spool and starts the queue, then lets it settle. */
    QueueHarness start() throws IOException {
        spool = FileSpool.open(new SpoolConfig(directory, segmentSize, 64 * 1024), registry, clock);
        scheduler = new ManualScheduler(clock);
        queue = new DeliveryQueue(
                spool, delivery, tlsResults::add, config, HOSTNAME, registry, clock, scheduler, jitter);
        queue.start();
        settle();
        return this;
    }

    /** Stops queue and spool as the relay does, and starts both again on the same directory. */
    QueueHarness restart() throws IOException {
        close();
        return start();
    }

    void settle() {
        scheduler.drain(queue::settled);
    }

    /** Moves the clock and runs whatever became due. */
    void advance(Duration duration) {
        clock.advance(duration);
        settle();
    }

    QueueId submit(Envelope envelope, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        IncomingMessage message = spool.newMessage();
        await(message.append(Unpooled.wrappedBuffer(bytes)));
        assertThat(await(spool.commit(envelope, message))).isInstanceOf(CommitResult.Committed.class);
        settle();
        return envelope.id();
    }

    QueueId submit(String sender, String... recipients) {
        return submit(
                envelope(
                        sender,
                        List.of(recipients).stream().map(Envelope.Recipient::of).toList(),
                        Envelope.MailParams.none()),
                "Subject: test\r\nFrom: <" + sender + ">\r\n\r\nHello\r\n");
    }

    Envelope envelope(String sender, List<Envelope.Recipient> recipients, Envelope.MailParams params) {
        return envelope(sender, recipients, params, Envelope.Kind.ORDINARY);
    }

    Envelope envelope(
            String sender, List<Envelope.Recipient> recipients, Envelope.MailParams params, Envelope.Kind kind) {
        return new Envelope(
                spool.nextId(),
                sender,
                recipients,
                params,
                new Envelope.ClientInfo(
                        "192.0.2.1", "client.example.org", Optional.empty(), Optional.empty(), Optional.empty()),
                clock.instant(),
                kind);
    }

    DeliveryState state(QueueId id) {
        return spool.deliveryState(id).orElseThrow(() -> new AssertionError("message " + id + " is not held"));
    }

    /** The DSNs in the spool: messages from the null sender. */
    List<SpooledMessage> dsns() {
        return spool.messages().stream()
                .filter(m -> m.envelope().sender().isEmpty())
                .toList();
    }

    String content(SpooledMessage message) throws IOException {
        try (InputStream in = spool.openContent(message)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Envelope.Recipient notify(String address, Envelope.Notify... notify) {
        return new Envelope.Recipient(address, Set.of(notify), Optional.empty());
    }

    static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("stage did not complete normally", e);
        }
    }

    @Override
    public void close() throws IOException {
        if (queue != null) {
            settle();
            queue.close();
            scheduler.shutdown();
            spool.close();
            queue = null;
        }
    }
}
