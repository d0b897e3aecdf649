package org.stsrelay.owner;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.stsrelay.support.HttpReplies;

/**
 * Answers one connection's requests: the policy file, report posts, 404 and 405. Answers go out in request order
 * even when a report is still being stored (RFC 9112 §9.3.2: responses to pipelined requests keep their order).
 */
final class OwnerHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    /** Requests a connection may have waiting for their answers; a client past it is closed. */
    static final int MAX_WAITING = 8;

    private final Supplier<SiteSnapshot> site;
    private final ReportReceiver reports;
    private final OwnerMetrics metrics;
    private CompletableFuture<Void> written = CompletableFuture.completedFuture(null);
    private int waiting;

    OwnerHttpHandler(Supplier<SiteSnapshot> site, ReportReceiver reports, OwnerMetrics metrics) {
        this.site = site;
        this.reports = reports;
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (++waiting > MAX_WAITING) {
            ctx.close();
            return;
        }
        boolean valid = request.decoderResult().isSuccess();
        boolean keepAlive = valid && HttpUtil.isKeepAlive(request);
        boolean head = request.method().equals(HttpMethod.HEAD);
        CompletionStage<FullHttpResponse> answer = valid
                ? answer(ctx, request)
                : CompletableFuture.completedFuture(
                        answered("other", Replies.text(HttpResponseStatus.BAD_REQUEST, "bad request")));
        written = written.thenCombine(answer, (previous, response) -> response)
                .thenAcceptAsync(response -> write(ctx, response, keepAlive, head), ctx.executor());
    }

    private CompletionStage<FullHttpResponse> answer(ChannelHandlerContext ctx, FullHttpRequest request) {
        Route route =
                Route.of(request.method(), request.uri(), request.headers().get(HttpHeaderNames.HOST), site.get());
        if (route instanceof Route.Policy policy) {
            return CompletableFuture.completedFuture(answered("policy", Replies.policy(policy.domain())));
        }
        if (route instanceof Route.Report) {
            // Copied here: the request's buffer is released when this read returns, before the intake runs.
            byte[] body = ByteBufUtil.getBytes(request.content());
            return reports.receive(body, request.headers().get(HttpHeaderNames.CONTENT_TYPE), remote(ctx.channel()));
        }
        String kind = Route.POLICY_PATH.equals(pathOf(request.uri())) ? "policy" : "other";
        FullHttpResponse response = route instanceof Route.WrongMethod wrong
                ? Replies.wrongMethod(wrong.allow())
                : Replies.text(HttpResponseStatus.NOT_FOUND, "not found");
        return CompletableFuture.completedFuture(answered(kind, response));
    }

    private FullHttpResponse answered(String kind, FullHttpResponse response) {
        metrics.answered(kind, response.status().code());
        return response;
    }

    private void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive, boolean head) {
        waiting--;
        HttpReplies.send(ctx, response, keepAlive, head);
    }

    private static String pathOf(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    /** The client's address as logged: the IP alone. */
    static String remote(Channel channel) {
        SocketAddress address = channel.remoteAddress();
        return address instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : String.valueOf(address);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Client errors (resets, timeouts, refused handshakes) end the connection without a log of their own.
        ctx.close();
    }
}
