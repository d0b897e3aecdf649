package org.stsrelay.inbound;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.stsrelay.config.Cidr;
import org.stsrelay.config.HostPort;
import org.stsrelay.config.InboundConfig;
import org.stsrelay.policy.testing.FakeTime;
import org.stsrelay.support.Interner;

/** Runs the real pipeline on EmbeddedChannels: bytes in, reply text out. */
final class SmtpHarness {

    static final String HOST = "relay.example.net";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-10-01T10:00:00Z"), ZoneOffset.UTC);
    static final InetSocketAddress ALLOWED_CLIENT = new InetSocketAddress("10.0.0.5", 40000);
    static final InetSocketAddress STRANGER = new InetSocketAddress("192.0.2.7", 40000);
    /** Five failures in 15 minutes; replies wait 0 s, 1 s, 2 s, 4 s, at most 8 s. */
    static final InboundConfig.AuthFailures AUTH_FAILURES =
            new InboundConfig.AuthFailures(5, Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofSeconds(8));

    final FakeSpool spool = new FakeSpool();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** The AUTH throttle's time; channel timers move with each channel's advanceTimeBy. */
    final FakeTime ticker = new FakeTime(CLOCK.instant());

    final ServerContext context;
    final ConnectionLimiter limiter;
    final SmtpServerInitializer initializer;

    SmtpHarness(InboundConfig config, Optional<SslContext> tls, Optional<UsersFile> users, Executor authExecutor) {
        InboundMetrics metrics = new InboundMetrics(registry);
        context = new ServerContext(
                HOST,
                config,
                spool,
                metrics,
                CLOCK,
                tls,
                users.map(u -> new Authenticator(u, authExecutor)),
                new AuthThrottle(config.authFailures(), ticker),
                new Interner<>(16));
        limiter = new ConnectionLimiter(config.maxConnections(), config.maxConnectionsPerIp(), metrics);
        initializer =
                new SmtpServerInitializer(context, limiter, new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE));
    }

    SmtpHarness(InboundConfig config) {
        this(config, Optional.empty(), Optional.empty(), Runnable::run);
    }

    SmtpHarness() {
        this(config());
    }

    /** The default test configuration: 10.0.0.0/8 may relay; small limits. */
    static InboundConfig config() {
        return config(10_000, 100, 3, 5);
    }

    static InboundConfig config(long maxSize, int maxLine, int maxRecipients, int maxBadCommands) {
        return new InboundConfig(
                List.of(new HostPort("127.0.0.1", 0)),
                List.of(Cidr.parse("10.0.0.0/8")),
                maxSize,
                maxLine,
                maxRecipients,
                10,
                2,
                maxBadCommands,
                Duration.ofMinutes(5),
                Duration.ofMinutes(3),
                Duration.ofMinutes(10),
                Optional.empty(),
                Optional.empty(),
                AUTH_FAILURES);
    }

    /** {@code config} with other timeouts: idle for commands, idle in DATA, and DATA in total. */
    static InboundConfig withTimeouts(InboundConfig c, Duration command, Duration data, Duration dataTotal) {
        return new InboundConfig(
                c.listen(),
                c.allowedNetworks(),
                c.maxMessageSize(),
                c.maxLineLength(),
                c.maxRecipients(),
                c.maxConnections(),
                c.maxConnectionsPerIp(),
                c.maxBadCommands(),
                command,
                data,
                dataTotal,
                c.tls(),
                c.usersFile(),
                c.authFailures());
    }

    /** {@code config} with another AUTH failure throttle. */
    static InboundConfig withAuthFailures(InboundConfig c, InboundConfig.AuthFailures failures) {
        return new InboundConfig(
                c.listen(),
                c.allowedNetworks(),
                c.maxMessageSize(),
                c.maxLineLength(),
                c.maxRecipients(),
                c.maxConnections(),
                c.maxConnectionsPerIp(),
                c.maxBadCommands(),
                c.commandTimeout(),
                c.dataTimeout(),
                c.dataTotalTimeout(),
                c.tls(),
                c.usersFile(),
                failures);
    }

    /** A connected client whose greeting has been read. */
    Client connect(InetSocketAddress from) {
        ClientChannel channel = new ClientChannel(from);
        channel.pipeline().addLast(initializer);
        try {
            channel.register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        channel.freezeTime();
        return new Client(channel);
    }

    Client connect() {
        return connect(ALLOWED_CLIENT);
    }

    /** Counter value of a meter with the given tags. */
    double count(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    /** One client connection. */
    static final class Client {
        final ClientChannel channel;

        Client(ClientChannel channel) {
            this.channel = channel;
        }

        /** Sends raw text (UTF-8) and returns the replies that came back. */
        String send(String text) {
            return sendBytes(text.getBytes(StandardCharsets.UTF_8));
        }

        String sendBytes(byte[] bytes) {
            if (channel.isOpen()) {
                channel.writeInbound(Unpooled.wrappedBuffer(bytes));
            }
            return replies();
        }

        /** Replies written since the last call, after running pending tasks. */
        String replies() {
            channel.runPendingTasks();
            StringBuilder out = new StringBuilder();
            for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
                out.append(b.toString(StandardCharsets.UTF_8));
                b.release();
            }
            return out.toString();
        }

        /** Sends EHLO and a transaction up to the DATA reply. */
        String open(String sender, String... recipients) {
            StringBuilder cmds = new StringBuilder("EHLO client.example.org\r\nMAIL FROM:<" + sender + ">\r\n");
            for (String r : recipients) {
                cmds.append("RCPT TO:<").append(r).append(">\r\n");
            }
            return send(cmds.append("DATA\r\n").toString());
        }
    }
}
