package org.stsrelay.world;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.Mapping;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.stsrelay.policy.fetch.TestCa;

/**
 * Every {@code mta-sts.<domain>} policy host of the world in one HTTPS server on 127.0.0.1: the
 * certificate is chosen by SNI (minted by the test CA on first use), the policy by the Host header
 * (RFC 8461 §3.3: {@code https://mta-sts.<domain>/.well-known/mta-sts.txt}).
 */
public final class PolicyHosts implements AutoCloseable {

    private static final String PATH = "/.well-known/mta-sts.txt";

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Map<String, String> policies = new ConcurrentHashMap<>();
    private final Map<String, SslContext> contexts = new ConcurrentHashMap<>();
    private final AtomicLong fetches = new AtomicLong();
    private final Map<String, AtomicLong> fetchesByHost = new ConcurrentHashMap<>();
    private final WorldCertificates certificates;
    private final Channel channel;

    private PolicyHosts(WorldCertificates certificates, int port) throws InterruptedException {
        this.certificates = certificates;
        Mapping<String, SslContext> byName = name -> contexts.computeIfAbsent(
                name == null ? "unnamed.invalid" : name.toLowerCase(Locale.ROOT), this::context);
        channel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast("tls", new SniHandler(byName))
                                .addLast("http", new HttpServerCodec())
                                .addLast("aggregator", new HttpObjectAggregator(16384))
                                .addLast("policy", new Responder());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", port))
                .sync()
                .channel();
    }

    /** Starts the server on {@code port} of 127.0.0.1 (the relay's {@code mta-sts.fetch-port}). */
    public static PolicyHosts start(WorldCertificates certificates, int port) {
        try {
            return new PolicyHosts(certificates, port);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted starting the policy hosts", e);
        }
    }

    /** Serves {@code body} as the policy of {@code domain}. */
    public void serve(String domain, String body) {
        policies.put("mta-sts." + domain.toLowerCase(Locale.ROOT), body);
    }

    /** Policy fetches answered so far (with a policy or 404). */
    public long fetches() {
        return fetches.get();
    }

    /** Policy requests answered so far for {@code domain} (its Host header {@code mta-sts.<domain>}). */
    public long fetches(String domain) {
        AtomicLong counted = fetchesByHost.get("mta-sts." + domain.toLowerCase(Locale.ROOT));
        return counted == null ? 0 : counted.get();
    }

    /**
     * Mints the certificate of {@code mta-sts.<domain>} now rather than on its first request, so that a benchmark's
     * measured window holds no certificate minting.
     */
    public void prepare(String domain) {
        contexts.computeIfAbsent("mta-sts." + domain.toLowerCase(Locale.ROOT), this::context);
    }

    private SslContext context(String host) {
        TestCa.Issued identity = certificates.issue(host, CertificateKind.GOOD);
        try {
            return SslContextBuilder.forServer(identity.key(), identity.chain()).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build a TLS context for " + host, e);
        }
    }

    private final class Responder extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            fetches.incrementAndGet();
            String host = String.valueOf(request.headers().get(HttpHeaderNames.HOST))
                    .toLowerCase(Locale.ROOT)
                    .replaceFirst(":\\d+$", "");
            fetchesByHost.computeIfAbsent(host, name -> new AtomicLong()).incrementAndGet();
            String body = PATH.equals(request.uri()) ? policies.get(host) : null;
            FullHttpResponse response = body == null
                    ? new DefaultFullHttpResponse(
                            HttpVersion.HTTP_1_1,
                            HttpResponseStatus.NOT_FOUND,
                            Unpooled.copiedBuffer("no policy here\n", StandardCharsets.US_ASCII))
                    : new DefaultFullHttpResponse(
                            HttpVersion.HTTP_1_1,
                            HttpResponseStatus.OK,
                            Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                    .set(HttpHeaderNames.CACHE_CONTROL, "max-age=0");
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
