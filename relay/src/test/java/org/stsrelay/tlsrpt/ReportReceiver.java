package org.stsrelay.tlsrpt;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
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
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.stsrelay.policy.fetch.TestCa;

/** An in-process https rua receiver that records every request and answers with a status the test switches. */
final class ReportReceiver implements AutoCloseable {

    /** One request as it arrived. */
    record Received(String method, String uri, String contentType, String contentEncoding, byte[] body) {}

    private final Channel channel;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int status;

    ReportReceiver(EventLoopGroup group, TestCa.Issued identity, int status) throws Exception {
        this.status = status;
        SslContext tls =
                SslContextBuilder.forServer(identity.key(), identity.chain()).build();
        channel = new ServerBootstrap()
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
                                                received.add(new Received(
                                                        request.method().name(),
                                                        request.uri(),
                                                        request.headers().get(HttpHeaderNames.CONTENT_TYPE),
                                                        request.headers().get(HttpHeaderNames.CONTENT_ENCODING),
                                                        ByteBufUtil.getBytes(request.content())));
                                                FullHttpResponse response = new DefaultFullHttpResponse(
                                                        HttpVersion.HTTP_1_1,
                                                        HttpResponseStatus.valueOf(ReportReceiver.this.status),
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

    URI uri() {
        return uri("/tlsrpt");
    }

    /** The receiver's address with {@code pathAndQuery}, by the name its certificate is for. */
    URI uri(String pathAndQuery) {
        return URI.create("https://localhost:" + ((InetSocketAddress) channel.localAddress()).getPort() + pathAndQuery);
    }

    void answer(int status) {
        this.status = status;
    }

    /** The requests received, in order. */
    List<Received> received() {
        return List.copyOf(received);
    }

    /** The bodies of the POSTs received, in order. */
    List<byte[]> bodies() {
        return received.stream().map(Received::body).toList();
    }

    @Override
    public void close() throws InterruptedException {
        channel.close().sync();
    }
}
