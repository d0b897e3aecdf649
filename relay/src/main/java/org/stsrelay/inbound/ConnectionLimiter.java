package org.stsrelay.inbound;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts open connections in total and per client address, shared by every channel of a server,
 * and refuses one over a limit with {@code 421 4.7.0} before the session ever sees it.
 */
@Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);
    private static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf(ConnectionLimiter.class, "refused");

    private final int maxTotal;
    private final int maxPerAddress;
    private final InboundMetrics metrics;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    ConnectionLimiter(int maxTotal, int maxPerAddress, InboundMetrics metrics) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress client = ClientAddress.of(ctx.channel());
        int all = total.incrementAndGet();
        int mine = perAddress.merge(client, 1, Integer::sum);
        if (all <= maxTotal && mine <= maxPerAddress) {
            ctx.fireChannelActive();
            return;
        }
        ctx.channel().attr(REFUSED).set(Boolean.TRUE);
        metrics.rejection(Reason.CONNECTION_LIMIT);
        LOG.info(
                "rejected connection from {}: connection limit ({} total, {} from this address)",
                client.getHostAddress(),
                all,
                mine);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(Replies.TOO_MANY_CONNECTIONS.toWire()))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        total.decrementAndGet();
        perAddress.computeIfPresent(ClientAddress.of(ctx.channel()), (k, n) -> n <= 1 ? null : n - 1);
        if (!refused(ctx)) {
            ctx.fireChannelInactive();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused(ctx)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** Connections open now, for tests and shutdown. */
    int open() {
        return total.get();
    }

    private static boolean refused(ChannelHandlerContext ctx) {
        return Boolean.TRUE.equals(ctx.channel().attr(REFUSED).get());
    }
}
