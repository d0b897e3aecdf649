package org.stsrelay.policy.fetch;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;

/** A loopback HTTPS server with a chosen certificate that answers every request with one scripted response. */
public final class TestHttpsServer implements AutoCloseable {

    /** What the server answers. */
    public record Reply(int status, String contentType, String location, byte[] body, boolean chunked, boolean hang) {
        /** A 200 text/plain answer with {@code body}. */
        public static Reply ok(String body) {
            return new Reply(
                    200, "text/plain; charset=utf-8", null, body.getBytes(StandardCharsets.UTF_8), false, false);
        }

        /** This answer with another Content-Type. */
        public Reply withContentType(String type) {
            return new Reply(status, type, location, body, chunked, hang);
        }

        Reply chunkedBody() {
            return new Reply(status, contentType, location, body, true, hang);
        }
    }

    private final Channel channel;
    private final AtomicReference<Reply> reply = new AtomicReference<>();
    private final AtomicReference<String> sni = new AtomicReference<>();
    private final AtomicReference<String> requestedPath = new AtomicReference<>();

    /** Starts the server on a free loopback port. */
    public TestHttpsServer(EventLoopGroup group, TestCa.Issued identity, Reply initial) throws Exception {
        reply.set(initial);
        SslContext tls =
                SslContextBuilder.forServer(identity.key(), identity.chain()).build();
        channel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), new HttpServerCodec(), new Responder());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .sync()
                .channel();
    }

    /** Returns the port the server listens on. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    String sni() {
        return sni.get();
    }

    String requestedPath() {
        return requestedPath.get();
    }

    private final class Responder extends SimpleChannelInboundHandler<Object> {

        /** A client that refuses this server's certificate, as several tests make it, ends with an alert: hang up. */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object message) {
            if (!(message instanceof HttpRequest request)) {
                return;
            }
            requestedPath.set(request.uri());
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            List<SNIServerName> names = ((ExtendedSSLSession) tls.engine().getSession()).getRequestedServerNames();
            sni.set(names.isEmpty() ? null : ((SNIHostName) names.get(0)).getAsciiName());
            Reply scripted = reply.get();
            if (scripted.hang()) {
                return;
            }
            if (scripted.chunked()) {
                writeChunked(ctx, scripted);
            } else {
                FullHttpResponse response = new DefaultFullHttpResponse(
                        HttpVersion.HTTP_1_1,
                        HttpResponseStatus.valueOf(scripted.status()),
                        Unpooled.wrappedBuffer(scripted.body()));
                headers(response, scripted);
                response.headers().set(HttpHeaderNames.CONTENT_LENGTH, scripted.body().length);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        private void writeChunked(ChannelHandlerContext ctx, Reply scripted) {
            HttpResponse head =
                    new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(scripted.status()));
            headers(head, scripted);
            head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            ctx.write(head);
            byte[] body = scripted.body();
            for (int offset = 0; offset < body.length; offset += 4096) {
                int length = Math.min(4096, body.length - offset);
                ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(body, offset, length)));
            }
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        }

        private void headers(HttpResponse response, Reply scripted) {
            if (scripted.contentType() != null) {
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, scripted.contentType());
            }
            if (scripted.location() != null) {
                response.headers().set(HttpHeaderNames.LOCATION, scripted.location());
            }
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, "max-age=0");
        }
    }

    @Override
    public void close() throws InterruptedException {
        channel.close().sync();
    }
}
