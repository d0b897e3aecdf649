package org.stsrelay.delivery;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.smtp.DefaultSmtpRequest;
import io.netty.handler.codec.smtp.SmtpCommand;
import io.netty.handler.codec.smtp.SmtpRequest;
import io.netty.handler.codec.smtp.SmtpRequests;
import io.netty.handler.codec.smtp.SmtpResponse;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.stsrelay.config.DeliveryConfig.Timeouts;

/**
 * Opens SMTP client connections: connect, greeting, EHLO (HELO fallback), and STARTTLS with the handshake
 * (RFC 3207); reports what it saw and leaves the decision to the caller.
 */
final class Connector {

    // RFC 5321 §4.5.3.1.5 allows 512 octets a reply line; servers send longer ones, so allow plenty.
    private static final SmtpCommand STARTTLS = SmtpCommand.valueOf("STARTTLS");

    /** A connection after the greeting and the first EHLO, before any TLS decision. */
    record Greeted(Channel channel, ReplyHandler replies, ServerExtensions extensions) {}

    private final EventLoopGroup group;
    private final Timeouts timeouts;
    private final String ehloName;
    private final ClientEngines tls;
    private final CertificateCheck certificates;

    Connector(
            EventLoopGroup group,
            Timeouts timeouts,
            String ehloName,
            ClientEngines tls,
            CertificateCheck certificates) {
        this.group = group;
        this.timeouts = timeouts;
        this.ehloName = ehloName;
        this.tls = tls;
        this.certificates = certificates;
    }

    /** Connects and exchanges greeting and EHLO; fails with {@link SmtpFailure} when the MX is unusable. */
    CompletableFuture<Greeted> open(InetSocketAddress address) {
        ReplyHandler replies = new ReplyHandler();
        ChannelFuture connecting = SmtpClientBootstrap.connect(group, address, timeouts.connect(), "replies", replies);
        CompletableFuture<Channel> connected = new CompletableFuture<>();
        connecting.addListener(done -> {
            if (done.isSuccess()) {
                connected.complete(connecting.channel());
            } else {
                connected.completeExceptionally(
                        new SmtpFailure("cannot connect: " + SmtpFailure.reasonOf(done.cause())));
            }
        });
        return connected.thenCompose(channel -> greet(channel, replies));
    }

    private CompletableFuture<Greeted> greet(Channel channel, ReplyHandler replies) {
        CompletableFuture<SmtpResponse> greeting = new CompletableFuture<>();
        channel.eventLoop()
                .execute(() -> replies.expect(timeouts.greeting(), "the greeting")
                        .whenComplete((reply, error) -> complete(greeting, reply, error)));
        return greeting.thenCompose(reply -> {
            if (reply.code() != 220) {
                channel.close();
                return failed("the greeting was \"" + text(reply) + "\"");
            }
            return ehlo(channel, replies);
        });
    }

    /** EHLO, or HELO when EHLO is refused with 5xx (RFC 5321 §3.2). */
    CompletableFuture<Greeted> ehlo(Channel channel, ReplyHandler replies) {
        return send(channel, replies, SmtpRequests.ehlo(ehloName), timeouts.ehlo(), "the EHLO reply")
                .thenCompose(reply -> {
                    if (reply.code() == 250) {
                        return CompletableFuture.completedFuture(
                                new Greeted(channel, replies, ServerExtensions.fromEhlo(reply)));
                    }
                    if (reply.code() / 100 != 5) {
                        channel.close();
                        return failed("EHLO was answered \"" + text(reply) + "\"");
                    }
                    return send(channel, replies, SmtpRequests.helo(ehloName), timeouts.ehlo(), "the HELO reply")
                            .thenCompose(helo -> {
                                if (helo.code() != 250) {
                                    channel.close();
                                    return failed("HELO was answered \"" + text(helo) + "\"");
                                }
                                return CompletableFuture.completedFuture(
                                        new Greeted(channel, replies, ServerExtensions.fromHelo(helo)));
                            });
                });
    }

    /** Upgrades with STARTTLS when offered and classifies the certificate for {@code mxHost}. */
    CompletableFuture<MxObservation> startTls(Greeted greeted, String mxHost, int port) {
        return startTls(greeted, mxHost, mxHost, port);
    }

    /**
     * Upgrades with STARTTLS when offered, sending {@code serverName} as SNI (for DANE the TLSA base domain,
     * RFC 7672 §8.1), and classifies the certificate for {@code mxHost}.
     */
    CompletableFuture<MxObservation> startTls(Greeted greeted, String mxHost, String serverName, int port) {
        if (!greeted.extensions().offers("STARTTLS")) {
            return CompletableFuture.completedFuture(new MxObservation.NoStartTls());
        }
        Channel channel = greeted.channel();
        return send(
                        channel,
                        greeted.replies(),
                        new DefaultSmtpRequest(STARTTLS),
                        timeouts.starttls(),
                        "the STARTTLS reply")
                .thenCompose(reply -> {
                    if (reply.code() != 220) {
                        return CompletableFuture.completedFuture(
                                new MxObservation.HandshakeFailed("STARTTLS was answered \"" + text(reply) + "\""));
                    }
                    return handshake(channel, mxHost, serverName, port);
                });
    }

    private CompletableFuture<MxObservation> handshake(Channel channel, String mxHost, String serverName, int port) {
        CompletableFuture<MxObservation> seen = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            // One engine per connection; SNI carries the MX host name (RFC 8461 §7.1, RFC 6066 §3).
            SSLEngine engine = tls.engine(channel.alloc(), serverName, port);
            SslHandler handler = new SslHandler(engine);
            handler.setHandshakeTimeoutMillis(timeouts.starttls().toMillis());
            // RFC 3207 §4.2: the handshake starts right after the 220, so TLS goes first in the pipeline now.
            channel.pipeline().addFirst("tls", handler);
            handler.handshakeFuture().addListener(done -> {
                if (!done.isSuccess()) {
                    seen.complete(new MxObservation.HandshakeFailed(
                            "TLS handshake failed: " + SmtpFailure.reasonOf(done.cause())));
                    return;
                }
                SSLSession session = engine.getSession();
                X509Certificate[] chain = peerChain(session);
                seen.complete(new MxObservation.Tls(
                        session.getProtocol(),
                        session.getCipherSuite(),
                        certificates.check(chain, mxHost),
                        Arrays.asList(chain)));
            });
        });
        return seen;
    }

    private static X509Certificate[] peerChain(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            return Arrays.stream(chain)
                    .filter(X509Certificate.class::isInstance)
                    .map(X509Certificate.class::cast)
                    .toArray(X509Certificate[]::new);
        } catch (SSLPeerUnverifiedException none) {
            return new X509Certificate[0];
        }
    }

    private static CompletableFuture<SmtpResponse> send(
            Channel channel, ReplyHandler replies, SmtpRequest request, Duration timeout, String awaiting) {
        CompletableFuture<SmtpResponse> answered = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            replies.expect(timeout, awaiting).whenComplete((reply, error) -> complete(answered, reply, error));
            channel.writeAndFlush(request);
        });
        return answered;
    }

    private static <T> void complete(CompletableFuture<T> target, T value, Throwable error) {
        if (error != null) {
            target.completeExceptionally(error);
        } else {
            target.complete(value);
        }
    }

    private static <T> CompletableFuture<T> failed(String reason) {
        return CompletableFuture.failedFuture(new SmtpFailure(reason));
    }

    static String text(SmtpResponse reply) {
        return reply.code() + " " + String.join(" ", reply.details());
    }
}
