package org.stsrelay.delivery;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.smtp.DefaultSmtpRequest;
import io.netty.handler.codec.smtp.SmtpCommand;
import io.netty.handler.codec.smtp.SmtpRequests;
import io.netty.handler.codec.smtp.SmtpResponse;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The probe's SMTP client session: greeting, EHLO, STARTTLS, handshake, QUIT (RFC 3207 §4, §5); every
 * method runs on the channel's event loop. The result is completed when the connection closes.
 */
final class ProbeHandler extends SimpleChannelInboundHandler<SmtpResponse> {

    private static final SmtpCommand STARTTLS = SmtpCommand.valueOf("STARTTLS");

    /** Where the conversation stands; each phase waits for one reply. */
    private enum Phase {
        GREETING("the greeting"),
        EHLO("the EHLO reply"),
        STARTTLS("the STARTTLS reply"),
        HANDSHAKE("the TLS handshake"),
        QUIT("the QUIT reply");

        final String awaiting;

        Phase(String awaiting) {
            this.awaiting = awaiting;
        }
    }

    private final String host;
    private final String address;
    private final String ehloName;
    private final SSLEngine engine;
    private final ObservingTrustManager trust;
    private final long handshakeTimeoutMillis;
    private final CompletableFuture<StartTlsProbeResult> outcome = new CompletableFuture<>();
    private Phase phase = Phase.GREETING;
    private String banner;
    private boolean startTlsOffered;
    private SSLSession session;
    private String failure;

    ProbeHandler(
            String host,
            String address,
            String ehloName,
            SSLEngine engine,
            ObservingTrustManager trust,
            long handshakeTimeoutMillis) {
        this.host = host;
        this.address = address;
        this.ehloName = ehloName;
        this.engine = engine;
        this.trust = trust;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    CompletableFuture<StartTlsProbeResult> outcome() {
        return outcome;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SmtpResponse response) {
        switch (phase) {
            case GREETING -> greeted(ctx, response);
            case EHLO -> ehloAnswered(ctx, response);
            case STARTTLS -> startTlsAnswered(ctx, response);
            case QUIT -> ctx.close();
            case HANDSHAKE -> stop(ctx, "the server sent an SMTP reply during the TLS handshake");
        }
    }

    private void greeted(ChannelHandlerContext ctx, SmtpResponse response) {
        if (response.code() != 220) {
            stop(ctx, "the greeting was \"" + text(response) + "\", not 220");
            return;
        }
        banner = text(response);
        phase = Phase.EHLO;
        ctx.writeAndFlush(SmtpRequests.ehlo(ehloName));
    }

    private void ehloAnswered(ChannelHandlerContext ctx, SmtpResponse response) {
        if (response.code() != 250) {
            stop(ctx, "EHLO was answered \"" + text(response) + "\"");
            return;
        }
        // RFC 3207 §4: the server lists the STARTTLS keyword in its EHLO reply.
        startTlsOffered = response.details().stream()
                .anyMatch(line -> line.toString().trim().equalsIgnoreCase("STARTTLS"));
        if (!startTlsOffered) {
            stop(ctx, "STARTTLS is not offered: mail to this host would travel in plain text");
            return;
        }
        phase = Phase.STARTTLS;
        ctx.writeAndFlush(new DefaultSmtpRequest(STARTTLS));
    }

    private void startTlsAnswered(ChannelHandlerContext ctx, SmtpResponse response) {
        if (response.code() != 220) {
            stop(ctx, "STARTTLS was answered \"" + text(response) + "\"");
            return;
        }
        // RFC 3207 §4.2: the handshake starts right after the 220, so TLS goes first in the pipeline now.
        phase = Phase.HANDSHAKE;
        SslHandler tls = new SslHandler(engine);
        tls.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        ctx.pipeline().addFirst("tls", tls);
        tls.handshakeFuture().addListener(done -> {
            if (done.isSuccess()) {
                session = engine.getSession();
                quit(ctx);
            } else {
                failure = "the TLS handshake failed: " + done.cause().getMessage();
                ctx.close();
            }
        });
    }

    private void stop(ChannelHandlerContext ctx, String reason) {
        failure = reason;
        quit(ctx);
    }

    private void quit(ChannelHandlerContext ctx) {
        phase = Phase.QUIT;
        ctx.writeAndFlush(SmtpRequests.quit()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    /** Gives up on a server that stopped answering; called on the event loop by the probe's deadline. */
    void timedOut(Channel channel, long seconds) {
        if (phase != Phase.QUIT && failure == null) {
            failure = "no answer within " + seconds + " s while waiting for " + phase.awaiting;
        }
        channel.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (phase != Phase.QUIT && failure == null) {
            failure = "the server closed the connection while the probe waited for " + phase.awaiting;
        }
        outcome.complete(result());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (failure == null && phase != Phase.QUIT) {
            failure = "error while waiting for " + phase.awaiting + ": " + cause.getMessage();
        }
        ctx.close();
    }

    private StartTlsProbeResult result() {
        return new StartTlsProbeResult(
                host,
                address,
                Optional.ofNullable(banner),
                startTlsOffered,
                Optional.ofNullable(session).map(SSLSession::getProtocol),
                Optional.ofNullable(session).map(SSLSession::getCipherSuite),
                trust.certificate(),
                trust.problem(),
                presentedChain(),
                Optional.ofNullable(failure));
    }

    // The probe's trust manager accepts every chain, so the chain is there for DANE even when PKIX rejects it.
    private List<X509Certificate> presentedChain() {
        if (session == null) {
            return List.of();
        }
        try {
            return Arrays.stream(session.getPeerCertificates())
                    .filter(X509Certificate.class::isInstance)
                    .map(X509Certificate.class::cast)
                    .toList();
        } catch (SSLPeerUnverifiedException none) {
            return List.of();
        }
    }

    private static String text(SmtpResponse response) {
        return response.code() + " " + String.join(" ", response.details());
    }
}
