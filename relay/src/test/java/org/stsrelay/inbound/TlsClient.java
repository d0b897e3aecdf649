package org.stsrelay.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/** A harness client after EHLO and STARTTLS: text goes in encrypted, replies come back decrypted. */
final class TlsClient {

    final SmtpHarness.Client plain;
    private final EmbeddedChannel tls;

    private TlsClient(SmtpHarness.Client plain, EmbeddedChannel tls) {
        this.plain = plain;
        this.tls = tls;
    }

    /** Sends EHLO and STARTTLS on {@code plain} (greeting already read) and completes the handshake. */
    static TlsClient start(SmtpHarness.Client plain, SslContext clientTls) {
        plain.send("EHLO c.example.org\r\n");
        assertThat(plain.send("STARTTLS\r\n")).isEqualTo("220 2.0.0 Ready to start TLS\r\n");
        TlsClient client = new TlsClient(
                plain, new EmbeddedChannel(clientTls.newHandler(ByteBufAllocator.DEFAULT, "localhost", 25)));
        client.shuttle();
        assertThat(client.tls.pipeline().get(SslHandler.class).handshakeFuture().isSuccess())
                .isTrue();
        return client;
    }

    /** Sends text over TLS and returns the decrypted replies that came back. */
    String send(String text) {
        tls.writeOutbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        return replies();
    }

    /** Replies that came back since the last call, after the server ran its due tasks. */
    String replies() {
        shuttle();
        StringBuilder out = new StringBuilder();
        for (ByteBuf b; (b = tls.readInbound()) != null; ) {
            out.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return out.toString();
    }

    /** Moves the server's clock on, runs what fell due and returns the replies it wrote. */
    String after(Duration time) {
        plain.channel.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
        plain.channel.runScheduledPendingTasks();
        return replies();
    }

    /** Whether the server still has the connection open. */
    boolean isOpen() {
        return plain.channel.isOpen();
    }

    /** The base64 of a UTF-8 string, for AUTH responses. */
    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    // Moves bytes between the TLS client and the server until both are quiet.
    private void shuttle() {
        boolean moved = true;
        while (moved) {
            moved = false;
            for (ByteBuf b; (b = tls.readOutbound()) != null; moved = true) {
                if (plain.channel.isOpen()) {
                    plain.channel.writeInbound(b);
                } else {
                    b.release();
                }
            }
            plain.channel.runPendingTasks();
            for (ByteBuf b; (b = plain.channel.readOutbound()) != null; moved = true) {
                tls.writeInbound(b);
            }
            tls.runPendingTasks();
        }
    }
}
