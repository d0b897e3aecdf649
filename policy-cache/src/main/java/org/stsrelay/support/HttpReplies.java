package org.stsrelay.support;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;

/** Writes one HTTP answer of the relay's small servers (metrics, owner site): keep-alive, HEAD and close handled. */
public final class HttpReplies {

    private HttpReplies() {}

    /**
     * Writes {@code response}, with no body for a HEAD (its headers, Content-Length included, are those of the GET
     * answer, RFC 9110 §9.3.2), and closes the connection after it unless {@code keepAlive}.
     */
    public static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive, boolean head) {
        HttpUtil.setKeepAlive(response, keepAlive);
        if (head) {
            response.content().clear();
        }
        var future = ctx.writeAndFlush(response);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
