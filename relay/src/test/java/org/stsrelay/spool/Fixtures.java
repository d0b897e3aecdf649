package org.stsrelay.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.stsrelay.config.SpoolConfig;
import org.stsrelay.testing.Eventually;

/** Envelopes, content and spool set-up shared by the spool tests. */
final class Fixtures {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T12:00:00.123456789Z"), ZoneOffset.UTC);

    private Fixtures() {}

    static SpoolConfig config(Path directory) {
        return new SpoolConfig(directory, 64L * 1024 * 1024, 64 * 1024);
    }

    static FileSpool open(SpoolConfig config, MeterRegistry registry) throws IOException {
        return FileSpool.open(config, registry, CLOCK, ChannelOpener.FILES);
    }

    /** An envelope using every field, optional ones present. */
    static Envelope fullEnvelope(QueueId id) {
        return new Envelope(
                id,
                "sender@example.org",
                List.of(
                        new Envelope.Recipient(
                                "a@example.net",
                                Set.of(Envelope.Notify.SUCCESS, Envelope.Notify.DELAY),
                                Optional.of("rfc822;a+2Bx@example.net")),
                        Envelope.Recipient.of("b@example.com"),
                        new Envelope.Recipient("ü@example.de", Set.of(Envelope.Notify.NEVER), Optional.empty())),
                new Envelope.MailParams(
                        Envelope.Body.EIGHT_BITMIME,
                        true,
                        Optional.of(Envelope.Ret.HDRS),
                        Optional.of("env+2Did"),
                        true,
                        123_456),
                new Envelope.ClientInfo(
                        "2001:db8::25",
                        "mta.example.org",
                        Optional.of("TLSv1.3"),
                        Optional.of("TLS_AES_256_GCM_SHA384"),
                        Optional.of("app-user")),
                Instant.parse("2025-03-01T11:59:58.987654321Z"));
    }

    /** An envelope with the null sender and no optional field present. */
    static Envelope plainEnvelope(QueueId id) {
        return new Envelope(
                id,
                "",
                List.of(Envelope.Recipient.of("x@example.net")),
                Envelope.MailParams.none(),
                new Envelope.ClientInfo("192.0.2.1", "client", Optional.empty(), Optional.empty(), Optional.empty()),
                Instant.parse("2025-03-01T12:00:00Z"));
    }

    static byte[] content(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Appends {@code content} in chunks, waiting for each append as a session would. */
    static IncomingMessage message(Spool spool, byte[] content, int chunk) {
        IncomingMessage message = spool.newMessage();
        for (int from = 0; from < content.length; from += chunk) {
            int length = Math.min(chunk, content.length - from);
            await(message.append(Unpooled.copiedBuffer(content, from, length)));
        }
        return message;
    }

    static CommitResult commit(Spool spool, Envelope envelope, byte[] content) {
        return await(spool.commit(envelope, message(spool, content, 8 * 1024)));
    }

    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("stage did not complete normally", e);
        }
    }

    static byte[] read(FileSpool spool, SpooledMessage message) throws IOException {
        try (InputStream in = spool.openContent(message)) {
            return in.readAllBytes();
        }
    }

    static byte[] read(SpoolInspector inspector, QueueId id) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(inspector.copyContent(id, out)).isTrue();
        return out.toByteArray();
    }

    /** Polls a condition the spool's writer thread makes true; fails after ten seconds. */
    static void eventually(BooleanSupplier condition) throws InterruptedException {
        Eventually.eventually(condition);
    }
}
