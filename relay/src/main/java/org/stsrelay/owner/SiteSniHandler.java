package org.stsrelay.owner;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Picks the certificate by the client's SNI name: {@code mta-sts.<domain>} of a loaded domain gets that domain's
 * context, from the snapshot current at the handshake. Without SNI, or for any other name, there is no certificate
 * that could validate (RFC 8461 §3.3: senders check the certificate against the policy host), so the handshake is
 * aborted with a fatal {@code unrecognized_name} alert (RFC 6066 §3) rather than answered with a wrong certificate.
 */
final class SiteSniHandler extends SniHandler {

    /**
     * A plaintext TLS alert record: content type alert (21), record version TLS 1.2 (also used by TLS 1.3 records,
     * RFC 8446 §5.1), length 2, level fatal (2), description unrecognized_name (112).
     */
    private static final byte[] UNRECOGNIZED_NAME = {21, 3, 3, 0, 2, 2, 112};

    /** The ClientHello wait: a client that sends none in this time is dropped. */
    private static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private final Supplier<SiteSnapshot> site;
    private final OwnerMetrics metrics;

    SiteSniHandler(Supplier<SiteSnapshot> site, OwnerMetrics metrics) {
        // The mapping is never consulted: lookup below reads the snapshot current at each handshake.
        super(hostname -> null, HANDSHAKE_TIMEOUT_MILLIS);
        this.site = site;
        this.metrics = metrics;
    }

    @Override
    protected Future<SslContext> lookup(ChannelHandlerContext ctx, String hostname) {
        Optional<OwnedDomain> domain = site.get().forHost(hostname);
        if (domain.isPresent()) {
            return ctx.executor().newSucceededFuture(domain.get().context());
        }
        metrics.handshakeRefused();
        ctx.writeAndFlush(Unpooled.wrappedBuffer(UNRECOGNIZED_NAME)).addListener(ChannelFutureListener.CLOSE);
        return ctx.executor().newFailedFuture(new UnknownName(hostname));
    }

    /** No certificate for the name the client asked for; a control-flow exception without a stack trace. */
    static final class UnknownName extends Exception {
        UnknownName(String hostname) {
            super(hostname == null ? "no SNI name" : "no certificate for " + hostname, null, false, false);
        }
    }
}
