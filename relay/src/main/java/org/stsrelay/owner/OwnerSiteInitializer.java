package org.stsrelay.owner;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Builds a connection's pipeline, in order: connection cap, idle timeout, TLS by SNI, HTTP codec, report slots, body
 * cap, site.
 */
final class OwnerSiteInitializer extends ChannelInitializer<SocketChannel> {

    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADER_SIZE = 8192;
    private static final int MAX_CHUNK_SIZE = 8192;
    private static final int IDLE_TIMEOUT_SECONDS = 30;

    private final ConnectionLimit limit;
    private final Supplier<SiteSnapshot> site;
    private final ReportReceiver reports;
    private final OwnerMetrics metrics;
    private final int maxBody;
    private final Semaphore postSlots;

    OwnerSiteInitializer(
            ConnectionLimit limit,
            Supplier<SiteSnapshot> site,
            ReportReceiver reports,
            OwnerMetrics metrics,
            int maxBody,
            Semaphore postSlots) {
        this.limit = limit;
        this.site = site;
        this.reports = reports;
        this.metrics = metrics;
        this.maxBody = maxBody;
        this.postSlots = postSlots;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline()
                .addLast("limit", limit)
                .addLast("timeout", new ReadTimeoutHandler(IDLE_TIMEOUT_SECONDS))
                .addLast("tls", new SiteSniHandler(site, metrics))
                .addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, MAX_CHUNK_SIZE))
                .addLast("posts", new PostLimit(postSlots, reports))
                .addLast("aggregate", new ReportAggregator(maxBody, reports))
                .addLast("site", new OwnerHttpHandler(site, reports, metrics));
    }
}
