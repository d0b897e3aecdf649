package org.stsrelay.tlsrpt;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.support.Transports;
import org.stsrelay.support.TrustStores;

/**
 * POSTs a gzipped TLS-RPT report to an {@code https:} rua (RFC 8460 §5.4) with Netty's HTTP client.
 *
 * <p>RFC 8460 §3 lets senders ignore certificate errors here; sts-relay validates anyway (system trust
 * plus configured extra CAs, with hostname verification), since an unauthenticated receiver could
 * be anyone. Redirects are not followed: a 3xx is a failure like any other non-2xx.
 */
public final class HttpsReportPoster {

    /** RFC 8460 §5.4 / §6.5: the gzip form is a media type, not a Content-Encoding. */
    static final String MEDIA_TYPE = "application/tlsrpt+gzip";

    private final EventLoopGroup group;
    private final SslContext tls;
    private final Duration connectTimeout;
    private final Duration totalTimeout;
    private final Function<String, CompletionStage<List<InetAddress>>> resolver;

    /**
     * @param group          the event loops the requests run on
     * @param extraCas       CA certificates trusted in addition to the system's
     * @param connectTimeout limit on the TCP connect
     * @param totalTimeout   limit on the whole exchange, connect to response status
     * @param resolver       the addresses of a host name: the relay's own DNS (see {@link #resolverOf}), so
     *                       the configured DNS servers answer, not the JVM's resolver
     */
    public HttpsReportPoster(
            EventLoopGroup group,
            List<X509Certificate> extraCas,
            Duration connectTimeout,
            Duration totalTimeout,
            Function<String, CompletionStage<List<InetAddress>>> resolver) {
        this.group = Objects.requireNonNull(group, "group");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.totalTimeout = Objects.requireNonNull(totalTimeout, "totalTimeout");
        try {
            this.tls = SslContextBuilder.forClient()
                    .protocols("TLSv1.3", "TLSv1.2")
                    .trustManager(TrustStores.pkix(extraCas))
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for HTTPS reports", e);
        }
    }

    /** A resolver over the relay's DNS client: A records, else AAAA. */
    public static Function<String, CompletionStage<List<InetAddress>>> resolverOf(DnsClient dns) {
        return host -> dns.a(host)
                .thenCompose(a -> a.valuesOrEmpty().isEmpty()
                        ? dns.aaaa(host).thenApply(DnsResult::valuesOrEmpty)
                        : CompletableFuture.completedFuture(a.valuesOrEmpty()));
    }

    /** POSTs {@code gzip} to {@code uri}; the future always completes normally, with the outcome. */
    public CompletableFuture<HttpsReportOutcome> post(URI uri, byte[] gzip) {
        if (!"https".equals(uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("not an https URI with a host: " + uri);
        }
        String host = uri.getHost();
        int port = uri.getPort() < 0 ? 443 : uri.getPort();
        return resolver.apply(host)
                .toCompletableFuture()
                .handle((addresses, error) -> error != null || addresses == null || addresses.isEmpty()
                        ? CompletableFuture.<HttpsReportOutcome>completedFuture(new HttpsReportOutcome.Failed(
                                "cannot resolve " + host + (error == null ? "" : ": " + describe(error))))
                        : post(uri, host, new InetSocketAddress(addresses.get(0), port), gzip))
                .thenCompose(Function.identity());
    }

    private CompletableFuture<HttpsReportOutcome> post(URI uri, String host, InetSocketAddress address, byte[] gzip) {
        int port = address.getPort();
        CompletableFuture<HttpsReportOutcome> outcome = new CompletableFuture<>();
        ChannelFuture connect = Transports.client(group)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // newHandler(host, port) sends SNI (RFC 6066 §3); the hostname is verified (RFC 6125).
                        SslHandler handler = tls.newHandler(ch.alloc(), host, port);
                        SSLEngine engine = handler.engine();
                        SSLParameters parameters = engine.getSSLParameters();
                        parameters.setEndpointIdentificationAlgorithm("HTTPS");
                        engine.setSSLParameters(parameters);
                        ch.pipeline()
                                .addLast("tls", handler)
                                .addLast("http", new HttpClientCodec())
                                .addLast("report", new StatusHandler(outcome));
                    }
                })
                .connect(address);
        var timeout = group.schedule(
                () -> {
                    if (outcome.complete(new HttpsReportOutcome.Failed("timed out after " + totalTimeout))) {
                        connect.channel().close();
                    }
                },
                totalTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
        outcome.whenComplete((done, error) -> timeout.cancel(false));
        connect.addListener(future -> {
            if (!future.isSuccess()) {
                outcome.complete(new HttpsReportOutcome.Failed(
                        "cannot connect to " + host + ":" + port + ": " + describe(future.cause())));
                return;
            }
            connect.channel().writeAndFlush(request(uri, host, port, gzip));
        });
        return outcome;
    }

    private static FullHttpRequest request(URI uri, String host, int port, byte[] gzip) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        FullHttpRequest request =
                new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path, Unpooled.wrappedBuffer(gzip));
        request.headers()
                .set(HttpHeaderNames.HOST, port == 443 ? host : host + ":" + port)
                .set(HttpHeaderNames.CONTENT_TYPE, MEDIA_TYPE)
                .set(HttpHeaderNames.CONTENT_LENGTH, gzip.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return request;
    }

    private static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** Completes the outcome from the response status line; the body is not needed. */
    private static final class StatusHandler extends SimpleChannelInboundHandler<HttpObject> {

        private final CompletableFuture<HttpsReportOutcome> outcome;

        StatusHandler(CompletableFuture<HttpsReportOutcome> outcome) {
            this.outcome = outcome;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
            if (message instanceof HttpResponse response) {
                int status = response.status().code();
                outcome.complete(
                        status / 100 == 2
                                ? new HttpsReportOutcome.Delivered(status)
                                : new HttpsReportOutcome.Failed("HTTP " + response.status()
                                        + (status / 100 == 3 ? " (redirects are not followed)" : "")));
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            outcome.complete(new HttpsReportOutcome.Failed(describe(cause)));
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            outcome.complete(new HttpsReportOutcome.Failed("connection closed before a response"));
        }
    }
}
