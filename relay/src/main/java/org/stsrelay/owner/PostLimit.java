package org.stsrelay.owner;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Semaphore;

/**
 * Bounds the report bodies held in memory across all connections: a POST takes a slot from the shared
 * {@code slots} before its body is aggregated and gives it back once its answer is written, so at most that many
 * bodies up to the size cap exist at once. A POST that finds no slot is answered 503 and its connection closed.
 */
final class PostLimit extends ChannelDuplexHandler {

    private final Semaphore slots;
    private final ReportReceiver reports;
    /** For each request not answered yet, in order: whether it holds a slot (RFC 9112: answers keep that order). */
    private final Queue<Boolean> waiting = new ArrayDeque<>();

    private boolean refusing;

    PostLimit(Semaphore slots, ReportReceiver reports) {
        this.slots = slots;
        this.reports = reports;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refusing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            boolean post = request.method().equals(HttpMethod.POST);
            if (post && !slots.tryAcquire()) {
                refusing = true;
                ReferenceCountUtil.release(msg);
                var busy = reports.refused(
                        OwnerHttpHandler.remote(ctx.channel()),
                        HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "too many reports at once; retry later");
                HttpUtil.setKeepAlive(busy, false);
                ctx.writeAndFlush(busy).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            waiting.add(post);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // Interim answers (100 Continue) are not the answer to the request.
        if (msg instanceof HttpResponse response
                && response.status().codeClass() != HttpStatusClass.INFORMATIONAL
                && Boolean.TRUE.equals(waiting.poll())) {
            slots.release();
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // Posts that were never answered (the client left) give their slots back.
        for (Boolean holds : waiting) {
            if (holds) {
                slots.release();
            }
        }
        waiting.clear();
        ctx.fireChannelInactive();
    }
}
