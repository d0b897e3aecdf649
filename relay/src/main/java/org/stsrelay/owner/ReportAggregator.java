package org.stsrelay.owner;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Aggregates a request up to the report size cap; a larger one, announced or found while reading, is answered 413
 * with the reason and the connection is closed, since the rest of its body is not worth reading.
 */
final class ReportAggregator extends HttpObjectAggregator {

    private final ReportReceiver reports;
    private final long cap;

    ReportAggregator(int cap, ReportReceiver reports) {
        super(cap, true);
        this.cap = cap;
        this.reports = reports;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        FullHttpResponse response = tooLarge(OwnerHttpHandler.remote(ctx.channel()));
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object response = super.newContinueResponse(start, maxContentLength, pipeline);
        if (response instanceof FullHttpResponse full
                && full.status().equals(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE)) {
            // An "Expect: 100-continue" over the cap: the same answer as a body found too large, before it is sent.
            ReferenceCountUtil.release(response);
            return tooLarge(OwnerHttpHandler.remote(pipeline.channel()));
        }
        return response;
    }

    private FullHttpResponse tooLarge(String remote) {
        FullHttpResponse response = reports.refused(
                remote, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "larger than the limit of " + cap + " bytes");
        HttpUtil.setKeepAlive(response, false);
        return response;
    }
}
