package org.stsrelay.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.support.HttpReplies;

/** Answers the endpoints, {@code /reports} when a page is configured; anything else is 404, any method but GET/HEAD is 405. */
final class MetricsHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsHttpHandler.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String PLAIN = "text/plain; charset=utf-8";
    private static final String HTML = "text/html; charset=utf-8";
    // The page shows strings from strangers' reports: no scripts, no outside resources, inline styles only.
    private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'";

    private final PrometheusMeterRegistry registry;
    private final BooleanSupplier ready;
    private final Optional<ReportsPage> reports;

    private final Executor pages;

    /**
     * @param reports renders {@code /reports}; without it {@code /reports} is 404
     * @param pages   where {@code /reports} is rendered: it reads the store, which must not block the event loop
     */
    MetricsHttpHandler(
            PrometheusMeterRegistry registry, BooleanSupplier ready, Optional<ReportsPage> reports, Executor pages) {
        this.registry = registry;
        this.ready = ready;
        this.reports = reports;
        this.pages = pages;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive =
                HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
        boolean head = request.method().equals(HttpMethod.HEAD);
        if (!request.decoderResult().isSuccess()) {
            send(ctx, text(HttpResponseStatus.BAD_REQUEST, PLAIN, "bad request\n"), keepAlive, head);
        } else if (!request.method().equals(HttpMethod.GET) && !head) {
            FullHttpResponse response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, PLAIN, "GET only\n");
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            send(ctx, response, keepAlive, head);
        } else {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            if (uri.path().equals("/reports") && reports.isPresent()) {
                renderReports(ctx, uri, keepAlive, head);
            } else {
                send(ctx, route(uri), keepAlive, head);
            }
        }
    }

    private void renderReports(ChannelHandlerContext ctx, QueryStringDecoder uri, boolean keepAlive, boolean head) {
        try {
            CompletableFuture.supplyAsync(() -> reports(reports.get(), uri), pages)
                    .thenAcceptAsync(response -> send(ctx, response, keepAlive, head), ctx.executor());
        } catch (RejectedExecutionException e) {
            send(ctx, text(HttpResponseStatus.SERVICE_UNAVAILABLE, PLAIN, "busy: try again\n"), keepAlive, head);
        }
    }

    private static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive, boolean head) {
        HttpReplies.send(ctx, response, keepAlive, head);
    }

    private FullHttpResponse route(QueryStringDecoder uri) {
        return switch (uri.path()) {
            case "/metrics" -> text(HttpResponseStatus.OK, PROMETHEUS_TEXT, registry.scrape());
            case "/healthz" -> text(HttpResponseStatus.OK, PLAIN, "ok\n");
            case "/readyz" ->
                ready.getAsBoolean()
                        ? text(HttpResponseStatus.OK, PLAIN, "ready\n")
                        : text(HttpResponseStatus.SERVICE_UNAVAILABLE, PLAIN, "not ready\n");
            case "/reports" -> text(HttpResponseStatus.NOT_FOUND, PLAIN, "not found: /reports is not configured\n");
            default -> text(HttpResponseStatus.NOT_FOUND, PLAIN, "not found: try /metrics, /healthz, /readyz\n");
        };
    }

    private static FullHttpResponse reports(ReportsPage page, QueryStringDecoder uri) {
        ReportsPage.Response rendered;
        try {
            rendered = page.render(uri.parameters());
        } catch (RuntimeException e) {
            LOG.warn("/reports failed: {}", e.toString());
            return text(HttpResponseStatus.INTERNAL_SERVER_ERROR, PLAIN, "the reports page failed; see the log\n");
        }
        FullHttpResponse response = text(HttpResponseStatus.valueOf(rendered.status()), HTML, rendered.html());
        response.headers().set("Content-Security-Policy", CSP);
        response.headers().set("X-Content-Type-Options", "nosniff");
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return response;
    }

    private static FullHttpResponse text(HttpResponseStatus status, String type, String body) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return response;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
