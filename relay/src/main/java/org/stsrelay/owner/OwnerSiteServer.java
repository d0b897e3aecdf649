package org.stsrelay.owner;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.stsrelay.config.OwnerSiteConfig;
import org.stsrelay.config.ReceivedConfig;
import org.stsrelay.received.ReportIntake;
import org.stsrelay.support.NamedThreads;
import org.stsrelay.support.Transports;

/**
 * The owner site's HTTPS listener: the policy files of the domains in {@code owner-site.domains-directory}, each
 * under its own certificate, and {@code POST /tlsrpt} into the received-report intake.
 */
public final class OwnerSiteServer implements AutoCloseable {

    /** Open connections at most. */
    static final int MAX_CONNECTIONS = 128;

    /** Report posts in progress at most, across connections: with the size cap, the bound on bodies in memory. */
    static final int MAX_POSTS = 8;

    private static final int INTAKE_THREADS = 2;
    // Never full while the post slots hold: a post waits here only while it holds a slot.
    private static final int INTAKE_QUEUE = MAX_POSTS;

    private final OwnerSiteConfig config;
    private final ReceivedConfig received;
    private final ReportIntake intake;
    private final EventLoopGroup group;
    private final OwnerMetrics metrics;
    private final SiteWatcher watcher;
    private ExecutorService intakeExecutor;
    private Channel channel;

    /** A site for {@code config}, on {@code group}'s loops, whose reports go to {@code intake}. */
    public OwnerSiteServer(
            OwnerSiteConfig config,
            ReceivedConfig received,
            ReportIntake intake,
            EventLoopGroup group,
            MeterRegistry registry,
            Clock clock) {
        if (!config.enabled()) {
            throw new IllegalArgumentException("owner-site.listen is not set");
        }
        this.config = config;
        this.received = received;
        this.intake = intake;
        this.group = group;
        this.metrics = new OwnerMetrics(registry);
        this.watcher = new SiteWatcher(
                new SiteLoader(config.domainsDirectory(), new DomainLoader(clock)), config.reloadInterval());
    }

    /** Loads the domains directory, starts watching it and binds the listener; errors name what is wrong. */
    public void start() throws IOException {
        if (!Files.isDirectory(config.domainsDirectory())) {
            throw new IOException("owner-site.domains-directory " + config.domainsDirectory() + " is not a directory");
        }
        watcher.start();
        intakeExecutor = new ThreadPoolExecutor(
                INTAKE_THREADS,
                INTAKE_THREADS,
                0,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(INTAKE_QUEUE),
                NamedThreads.daemon("owner-intake"));
        ReportReceiver reports = new ReportReceiver(intake, intakeExecutor, metrics);
        // The aggregator takes an int; the configured cap is far below 2 GiB in any sane setting.
        int maxBody = (int) Math.min(received.maxReportSize(), Integer.MAX_VALUE - 1);
        ServerBootstrap bootstrap = Transports.server(group)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new OwnerSiteInitializer(
                        new ConnectionLimit(MAX_CONNECTIONS),
                        watcher::current,
                        reports,
                        metrics,
                        maxBody,
                        new Semaphore(MAX_POSTS)));
        try {
            channel = bootstrap
                    .bind(config.listen().orElseThrow().toSocketAddress())
                    .syncUninterruptibly()
                    .channel();
        } catch (Exception e) {
            throw new IOException(
                    "cannot listen on " + config.listen().orElseThrow() + " (owner site): " + e.getMessage(), e);
        }
    }

    /** The bound address (useful when the configured port is 0). */
    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** The domains served now, for the start-up log. */
    public Set<String> domains() {
        return watcher.current().domains().keySet();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        watcher.close();
        if (intakeExecutor != null) {
            intakeExecutor.shutdown();
            try {
                // A report being written finishes, so the sender's 200 is true; a stuck intake does not hold the stop.
                intakeExecutor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
