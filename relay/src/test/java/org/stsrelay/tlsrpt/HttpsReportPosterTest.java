package org.stsrelay.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
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
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.stsrelay.policy.fetch.TestCa;

class HttpsReportPosterTest {

    /** What the in-process receiver saw. */
    record Received(String method, String uri, String contentType, String contentEncoding, byte[] body) {}

    private static EventLoopGroup group;
    private static TestCa ca;
    private static TestCa.Issued identity;

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        ca = new TestCa("Report Receiver CA");
        identity = ca.issue("localhost");
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private static Channel receiver(int status, AtomicReference<Received> seen) throws Exception {
        SslContext tls =
                SslContextBuilder.forServer(identity.key(), identity.chain()).build();
        return new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast(
                                        tls.newHandler(ch.alloc()),
                                        new HttpServerCodec(),
                                        new HttpObjectAggregator(1 << 20),
                                        new SimpleChannelInboundHandler<FullHttpRequest>() {
                                            /** A client that refuses this server's certificate ends with an alert: hang up. */
                                            @Override
                                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                                ctx.close();
                                            }

                                            @Override
                                            protected void channelRead0(
                                                    ChannelHandlerContext ctx, FullHttpRequest request) {
                                                seen.set(new Received(
                                                        request.method().name(),
                                                        request.uri(),
                                                        request.headers().get(HttpHeaderNames.CONTENT_TYPE),
                                                        request.headers().get(HttpHeaderNames.CONTENT_ENCODING),
                                                        ByteBufUtil.getBytes(request.content())));
                                                FullHttpResponse response = new DefaultFullHttpResponse(
                                                        HttpVersion.HTTP_1_1,
                                                        HttpResponseStatus.valueOf(status),
                                                        Unpooled.EMPTY_BUFFER);
                                                response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                                                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                                            }
                                        });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .sync()
                .channel();
    }

    private static HttpsReportPoster poster(List<java.security.cert.X509Certificate> extra) {
        return new HttpsReportPoster(group, extra, Duration.ofSeconds(2), Duration.ofSeconds(5), ReportFixtures.LOCAL);
    }

    private static URI uri(Channel server) {
        return URI.create("https://localhost:" + ((InetSocketAddress) server.localAddress()).getPort() + "/tlsrpt?v=1");
    }

    @Test
    @DisplayName("RFC 8460 §5.4: POST of the gzip bytes as application/tlsrpt+gzip; 200 is success")
    void delivered() throws Exception {
        AtomicReference<Received> seen = new AtomicReference<>();
        Channel server = receiver(200, seen);
        try {
            byte[] gzip = ReportGzip.gzip(ReportMailFixtures.JSON);
            HttpsReportOutcome outcome =
                    poster(List.of(ca.certificate())).post(uri(server), gzip).get(10, TimeUnit.SECONDS);
            assertThat(outcome).isEqualTo(new HttpsReportOutcome.Delivered(200));
            assertThat(seen.get().method()).isEqualTo("POST");
            assertThat(seen.get().uri()).isEqualTo("/tlsrpt?v=1");
            assertThat(seen.get().contentType()).isEqualTo("application/tlsrpt+gzip");
            // RFC 8460 §6.5: +gzip is a media type suffix, not a Content-Encoding.
            assertThat(seen.get().contentEncoding()).isNull();
            assertThat(seen.get().body()).isEqualTo(gzip);
        } finally {
            server.close().sync();
        }
    }

    @Test
    @DisplayName("RFC 8460 §5.4: a 500 is a failure value with the status as reason")
    void serverError() throws Exception {
        Channel server = receiver(500, new AtomicReference<>());
        try {
            HttpsReportOutcome outcome = poster(List.of(ca.certificate()))
                    .post(uri(server), new byte[] {1, 2, 3})
                    .get(10, TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOf(HttpsReportOutcome.Failed.class);
            assertThat(((HttpsReportOutcome.Failed) outcome).reason()).contains("500");
        } finally {
            server.close().sync();
        }
    }

    @Test
    @DisplayName("RFC 8460 §5.4: a redirect is not followed and counts as a failure")
    void redirectNotFollowed() throws Exception {
        Channel server = receiver(301, new AtomicReference<>());
        try {
            HttpsReportOutcome outcome = poster(List.of(ca.certificate()))
                    .post(uri(server), new byte[] {1})
                    .get(10, TimeUnit.SECONDS);
            assertThat(((HttpsReportOutcome.Failed) outcome).reason())
                    .contains("301")
                    .contains("redirect");
        } finally {
            server.close().sync();
        }
    }

    @Test
    @DisplayName("RFC 8460 §5.5: a refused connection is a failure value, to be retried")
    void refused() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        HttpsReportOutcome outcome = poster(List.of())
                .post(URI.create("https://127.0.0.1:" + port + "/"), new byte[] {1})
                .get(10, TimeUnit.SECONDS);
        assertThat(outcome).isInstanceOf(HttpsReportOutcome.Failed.class);
        assertThat(((HttpsReportOutcome.Failed) outcome).reason()).contains("cannot connect");
    }

    @Test
    @DisplayName("RFC 8460 §3: certificate errors MAY be ignored, but sts-relay validates: an unknown CA fails")
    void untrustedCertificate() throws Exception {
        AtomicReference<Received> seen = new AtomicReference<>();
        Channel server = receiver(200, seen);
        try {
            HttpsReportOutcome outcome =
                    poster(List.of()).post(uri(server), new byte[] {1}).get(10, TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOf(HttpsReportOutcome.Failed.class);
            assertThat(seen.get()).isNull();
        } finally {
            server.close().sync();
        }
    }
}
