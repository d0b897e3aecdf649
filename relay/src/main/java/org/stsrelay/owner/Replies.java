package org.stsrelay.owner;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The owner site's responses: the policy file, or a short text. Never a redirect (RFC 8461 §3.3). */
final class Replies {

    /** RFC 8461 §3.2: the policy is served as text/plain; the charset says how to read it. */
    static final String TEXT_PLAIN = "text/plain; charset=utf-8";

    private Replies() {}

    /** 200 with the policy file's bytes as they are on disk. */
    static FullHttpResponse policy(OwnedDomain domain) {
        return response(HttpResponseStatus.OK, Unpooled.wrappedBuffer(domain.policy()));
    }

    /** {@code status} with {@code text} and a newline as the body. */
    static FullHttpResponse text(HttpResponseStatus status, String text) {
        return response(status, Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8));
    }

    /** 405 naming the methods the path takes. */
    static FullHttpResponse wrongMethod(String allow) {
        FullHttpResponse response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed: use " + allow);
        response.headers().set(HttpHeaderNames.ALLOW, allow);
        return response;
    }

    private static FullHttpResponse response(HttpResponseStatus status, ByteBuf body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return response;
    }
}
