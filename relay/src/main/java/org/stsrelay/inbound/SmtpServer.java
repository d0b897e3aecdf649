package org.stsrelay.inbound;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.config.HostPort;
import org.stsrelay.config.InboundConfig;
import org.stsrelay.spool.Spool;
import org.stsrelay.support.Interner;
import org.stsrelay.support.NamedThreads;
import org.stsrelay.support.Transports;

/** The inbound ESMTP server: binds every configured listen address and runs one session per connection. */
public final class SmtpServer implements AutoCloseable {

    /** How long {@link #close()} lets transactions in flight finish before closing their connections. */
    static final Duration GRACE = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(SmtpServer.class);
    /**
     * Slots for client descriptions (address, EHLO name, TLS, user) shared between envelopes: a smarthost sees a
     * handful of clients, so a small table shares nearly all of them.
     */
    private static final int CLIENT_DESCRIPTIONS = 256;

    private final InboundConfig config;
    private final EventLoopGroup group;
    private final ExecutorService authExecutor;
    private final SmtpServerInitializer initializer;
    private final ChannelGroup sessions = new DefaultChannelGroup("smtp-sessions", GlobalEventExecutor.INSTANCE);
    private final List<Channel> listeners = new ArrayList<>();

    /**
     * A server that is not yet listening; reads the TLS files and the users file now, so that a bad one
     * fails here with a message naming it (UncheckedIOException or IllegalArgumentException).
     */
    public SmtpServer(
            String hostname,
            InboundConfig config,
            Spool spool,
            EventLoopGroup group,
            MeterRegistry registry,
            Clock clock) {
        this.config = config;
        this.group = group;
        Optional<SslContext> tls = config.tls().map(SmtpServer::loadTls);
        Optional<UsersFile> users = config.usersFile().map(SmtpServer::loadUsers);
        this.authExecutor = Executors.newFixedThreadPool(2, NamedThreads.daemon("inbound-auth"));
        InboundMetrics metrics = new InboundMetrics(registry);
        ServerContext context = new ServerContext(
                hostname,
                config,
                spool,
                metrics,
                clock,
                tls,
                users.map(u -> new Authenticator(u, authExecutor)),
                new AuthThrottle(config.authFailures(), Ticker.systemTicker()),
                new Interner<>(CLIENT_DESCRIPTIONS));
        this.initializer = new SmtpServerInitializer(
                context,
                new ConnectionLimiter(config.maxConnections(), config.maxConnectionsPerIp(), metrics),
                sessions);
    }

    /** Binds every {@code listen} address; throws naming the address that could not be bound. */
    public synchronized void start() throws IOException {
        if (!listeners.isEmpty()) {
            throw new IllegalStateException("already started");
        }
        ServerBootstrap bootstrap = Transports.server(group)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(initializer);
        for (HostPort address : config.listen()) {
            ChannelFuture bind = bootstrap.bind(address.toSocketAddress()).awaitUninterruptibly();
            if (!bind.isSuccess()) {
                closeListeners();
                Throwable cause = bind.cause();
                throw new IOException("cannot listen on " + address + ": " + cause.getMessage(), cause);
            }
            listeners.add(bind.channel());
            LOG.info("SMTP listening on {}", bind.channel().localAddress());
        }
    }

    /** The addresses actually bound (port 0 in the configuration becomes the port chosen). */
    public synchronized List<InetSocketAddress> boundAddresses() {
        return listeners.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
    }

    /** Whether every listen address is bound and accepting. */
    public synchronized boolean isListening() {
        return !listeners.isEmpty() && listeners.stream().allMatch(Channel::isActive);
    }

    /**
     * Stops accepting, asks each session to close once its transaction in flight is done (with
     * {@code 421 4.3.2}), and after {@link #GRACE} closes whatever is still open.
     */
    @Override
    public void close() {
        closeListeners();
        sessions.forEach(c -> c.pipeline().fireUserEventTriggered(ShutdownEvent.INSTANCE));
        if (!sessions.newCloseFuture().awaitUninterruptibly(GRACE.toMillis())) {
            LOG.warn("closing {} SMTP sessions still open after {}", sessions.size(), GRACE);
        }
        sessions.close().awaitUninterruptibly();
        authExecutor.shutdownNow();
    }

    private synchronized void closeListeners() {
        listeners.forEach(c -> c.close().awaitUninterruptibly());
        listeners.clear();
    }

    private static SslContext loadTls(InboundConfig.TlsFiles files) {
        try {
            return InboundTls.serverContext(files);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static UsersFile loadUsers(java.nio.file.Path file) {
        try {
            return UsersFile.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
