package org.stsrelay.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.stsrelay.config.HostPort;
import org.stsrelay.support.NamedThreads;
import org.stsrelay.support.Transports;

/**
 * Serves {@code /metrics}, {@code /healthz}, {@code /readyz} and, when configured, {@code /reports} over plain HTTP on
 * the metrics listener.
 */
public final class MetricsServer implements AutoCloseable {

    private static final int MAX_REQUEST = 8192;
    private static final int READ_TIMEOUT_SECONDS = 30;
    // One page renders at a time and a few wait: a burst of /reports requests cannot pile up work.
    private static final int WAITING_PAGES = 8;

    private final HostPort listen;
    private final EventLoopGroup group;
    private final PrometheusMeterRegistry registry;
    private final BooleanSupplier ready;
    private final Optional<ReportsPage> reports;
    private final ExecutorService pages;
    private Channel channel;

    /**
     * @param ready answers whether the relay can take mail now (spool writable, SMTP listening)
     */
    public MetricsServer(
            HostPort listen, EventLoopGroup group, PrometheusMeterRegistry registry, BooleanSupplier ready) {
        this(listen, group, registry, ready, Optional.empty());
    }

    /**
     * @param ready   answers whether the relay can take mail now (spool writable, SMTP listening)
     * @param reports renders {@code /reports}; without it {@code /reports} is 404
     */
    public MetricsServer(
            HostPort listen,
            EventLoopGroup group,
            PrometheusMeterRegistry registry,
            BooleanSupplier ready,
            Optional<ReportsPage> reports) {
        this.listen = listen;
        this.group = group;
        this.registry = registry;
        this.ready = ready;
        this.reports = reports;
        this.pages = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(WAITING_PAGES),
                NamedThreads.daemon("reports-page"),
                new ThreadPoolExecutor.AbortPolicy());
    }

    /** Binds the listener; fails with a message naming the address. */
    public void start() throws IOException {
        ServerBootstrap bootstrap = Transports.server(group)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("timeout", new ReadTimeoutHandler(READ_TIMEOUT_SECONDS))
                                .addLast("http", new HttpServerCodec())
                                .addLast("aggregate", new HttpObjectAggregator(MAX_REQUEST))
                                .addLast("endpoints", new MetricsHttpHandler(registry, ready, reports, pages));
                    }
                });
        try {
            channel = bootstrap
                    .bind(listen.toSocketAddress())
                    .syncUninterruptibly()
                    .channel();
        } catch (Exception e) {
            throw new IOException("cannot listen on " + listen + " (metrics): " + e.getMessage(), e);
        }
    }

    /** The bound address (useful when the configured port is 0). */
    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        pages.shutdownNow();
    }
}
