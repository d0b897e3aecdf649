package org.stsrelay.policy.fetch;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.stsrelay.policy.ResultType;

/** Sends the GET once TLS is up and checks the response as it streams in: status, media type, size. */
final class FetchHandler extends SimpleChannelInboundHandler<HttpObject> {

    private final FetchAttempt attempt;
    private final FetchSettings settings;
    private final String host;
    private final String authority;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    FetchHandler(FetchAttempt attempt, FetchSettings settings, String host, String authority) {
        this.attempt = attempt;
        this.settings = settings;
        this.host = host;
        this.authority = authority;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                attempt.tlsProtocol(ctx.pipeline()
                        .get(SslHandler.class)
                        .engine()
                        .getSession()
                        .getProtocol());
                ctx.writeAndFlush(request());
            } else {
                failTls(handshake.cause());
            }
        }
        super.userEventTriggered(ctx, event);
    }

    // RFC 8461 §3.3: a plain GET; no conditional request, no HTTP cache (RFC 7234 MUST NOT be used).
    private FullHttpRequest request() {
        FullHttpRequest request =
                new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, NettyPolicyFetcher.PATH);
        request.headers()
                .set(HttpHeaderNames.HOST, authority)
                .set(HttpHeaderNames.USER_AGENT, "sts-relay")
                .set(HttpHeaderNames.ACCEPT, "text/plain")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return request;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
        if (attempt.isDone()) {
            return;
        }
        if (message.decoderResult().isFailure()) {
            attempt.fail(ResultType.STS_POLICY_FETCH_ERROR, "malformed HTTP response from " + host);
            return;
        }
        if (message instanceof HttpResponse response) {
            onResponse(response);
        }
        if (message instanceof HttpContent content && !attempt.isDone()) {
            onContent(content);
        }
    }

    private void onResponse(HttpResponse response) {
        int status = response.status().code();
        String contentType = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
        String location = response.headers().get(HttpHeaderNames.LOCATION);
        attempt.response(status, contentType, location);
        if (status >= 300 && status < 400) {
            // RFC 8461 §3.3: "HTTP 3xx redirects MUST NOT be followed".
            attempt.fail(
                    ResultType.STS_POLICY_FETCH_ERROR,
                    "HTTP " + status + " redirect to " + (location == null ? "(no Location)" : location)
                            + " not followed");
        } else if (status != 200) {
            // RFC 8461 §3.3: a policy is valid "only if the HTTP response code is 200".
            attempt.fail(ResultType.STS_POLICY_FETCH_ERROR, "HTTP " + status);
        } else if (settings.requireTextPlain() && !isTextPlain(contentType)) {
            // RFC 8461 §3.2: senders SHOULD validate that the media type is "text/plain"; a setting relaxes the check.
            attempt.fail(
                    ResultType.STS_POLICY_INVALID,
                    "Content-Type " + (contentType == null ? "missing" : contentType) + ", not text/plain");
        } else if (HttpUtil.getContentLength(response, -1L) > settings.maxBodyBytes()) {
            attempt.fail(ResultType.STS_POLICY_INVALID, tooLarge());
        }
    }

    // RFC 8461 §3.3: the size limit is enforced while reading, chunked or not; nothing is truncated.
    private void onContent(HttpContent content) {
        ByteBuf bytes = content.content();
        if (body.size() + (long) bytes.readableBytes() > settings.maxBodyBytes()) {
            attempt.bodyBytes(body.size() + (long) bytes.readableBytes());
            attempt.fail(ResultType.STS_POLICY_INVALID, tooLarge());
            return;
        }
        byte[] chunk = new byte[bytes.readableBytes()];
        bytes.readBytes(chunk);
        body.writeBytes(chunk);
        attempt.bodyBytes(body.size());
        if (content instanceof LastHttpContent) {
            decodeBody();
        }
    }

    private void decodeBody() {
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body.toByteArray()))
                    .toString();
            attempt.succeed(text);
        } catch (CharacterCodingException notUtf8) {
            attempt.fail(ResultType.STS_POLICY_INVALID, "body is not valid UTF-8");
        }
    }

    private String tooLarge() {
        return "body larger than " + settings.maxBodyBytes() + " octets";
    }

    static boolean isTextPlain(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return mediaType.toLowerCase(Locale.ROOT).equals("text/plain");
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        attempt.fail(
                ResultType.STS_POLICY_FETCH_ERROR,
                "connection to " + host + " closed before the response was complete");
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failTls(cause);
        ctx.close();
    }

    // RFC 8460 §4.3.2.2: a certificate failure is sts-webpki-invalid; any other TLS or I/O failure is a fetch error.
    private void failTls(Throwable cause) {
        attempt.certificateFailure()
                .ifPresentOrElse(
                        detail -> attempt.fail(ResultType.STS_WEBPKI_INVALID, detail),
                        () -> attempt.fail(
                                ResultType.STS_POLICY_FETCH_ERROR,
                                "TLS or I/O failure with " + host + ": " + rootMessage(cause)));
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
