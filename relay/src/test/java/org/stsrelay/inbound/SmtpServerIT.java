package org.stsrelay.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.config.Cidr;
import org.stsrelay.config.HostPort;
import org.stsrelay.config.InboundConfig;
import org.stsrelay.testing.Eventually;

class SmtpServerIT {

    private static EventLoopGroup group;
    private static TestCertificate certificate;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        certificate = TestCertificate.mint("RSA");
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    @DisplayName(
            "RFC 3207 + RFC 4954: EHLO, STARTTLS (TLS 1.3), EHLO shows AUTH, AUTH PLAIN, MAIL/RCPT/DATA → 250 queued")
    void startTlsAuthAndSend() throws Exception {
        FakeSpool spool = new FakeSpool();
        try (SmtpServer server = server(spool, 5, true)) {
            server.start();
            assertThat(server.isListening()).isTrue();
            try (Line line = new Line(
                    new Socket("127.0.0.1", server.boundAddresses().get(0).getPort()))) {
                assertThat(line.read()).startsWith("220 relay.example.net ESMTP");
                assertThat(line.command("EHLO c.example.org"))
                        .contains("250-STARTTLS")
                        .doesNotContain("AUTH");
                assertThat(line.command("STARTTLS")).isEqualTo("220 2.0.0 Ready to start TLS");
                Line tls = line.startTls(trusting());
                assertThat(((SSLSocket) tls.socket).getSession().getProtocol()).isEqualTo("TLSv1.3");
                assertThat(tls.command("EHLO c.example.org")).contains("250-AUTH PLAIN LOGIN");
                String credentials =
                        Base64.getEncoder().encodeToString("\0alice\0s3cret".getBytes(StandardCharsets.UTF_8));
                assertThat(tls.command("AUTH PLAIN " + credentials)).isEqualTo("235 2.7.0 Authentication successful");
                assertThat(tls.command("MAIL FROM:<a@example.org>")).startsWith("250 2.1.0");
                assertThat(tls.command("RCPT TO:<b@example.com>")).startsWith("250 2.1.5");
                assertThat(tls.command("DATA")).startsWith("354");
                assertThat(tls.command("Subject: hi\r\n\r\nhello\r\n."))
                        .isEqualTo("250 2.0.0 Ok: queued as 0000000000000001");
                assertThat(tls.command("QUIT")).isEqualTo("221 2.0.0 Bye");
            }
        }
        assertThat(spool.committed()).hasSize(1);
    }

    @Test
    @DisplayName("Not an open relay: a client outside allowedNetworks and not authenticated gets 554 5.7.1")
    void strangerIsRefused() throws Exception {
        try (SmtpServer server = server(new FakeSpool(), 5, false)) {
            server.start();
            try (Line line = new Line(
                    new Socket("127.0.0.1", server.boundAddresses().get(0).getPort()))) {
                line.read();
                line.command("EHLO c.example.org");
                line.command("MAIL FROM:<a@example.org>");
                assertThat(line.command("RCPT TO:<b@example.com>")).startsWith("554 5.7.1 Relay access denied");
            }
        }
    }

    @Test
    @DisplayName("Connection limit per IP: the connection over the limit gets 421 4.7.0")
    void connectionLimit() throws Exception {
        try (SmtpServer server = server(new FakeSpool(), 1, false)) {
            server.start();
            int port = server.boundAddresses().get(0).getPort();
            try (Line first = new Line(new Socket("127.0.0.1", port));
                    Line second = new Line(new Socket("127.0.0.1", port))) {
                // The two connections may become active on different event loops in either order.
                assertThat(List.of(first.read(), second.read()))
                        .containsExactlyInAnyOrder(
                                "220 relay.example.net ESMTP sts-relay",
                                "421 4.7.0 Too many connections, try again later");
            }
        }
    }

    @Test
    @DisplayName(
            "RFC 5321 §4.5.3.2.7: a client that never speaks gets 421 4.4.2 and a close after the idle timeout, and its slot is free again")
    void silentClientIsClosedAndItsSlotFreed() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InboundConfig config = SmtpHarness.withTimeouts(
                loopbackConfig(1), Duration.ofMillis(300), Duration.ofSeconds(30), Duration.ofMinutes(10));
        try (SmtpServer server =
                new SmtpServer("relay.example.net", config, new FakeSpool(), group, registry, SmtpHarness.CLOCK)) {
            server.start();
            try (Line silent = connect(server)) {
                assertThat(silent.read()).startsWith("220 ");
                assertThat(silent.read()).isEqualTo("421 4.4.2 Timeout, closing connection");
                assertThat(silent.isClosedByServer()).isTrue();
            }
            // The client sees the close a moment before the server has counted the connection out.
            Eventually.eventually(() ->
                    registry.get("sts.relay.inbound.sessions.active").gauge().value() == 0);
            try (Line next = connect(server)) {
                assertThat(next.read()).startsWith("220 ");
            }
        }
    }

    @Test
    @DisplayName(
            "RFC 5321 §4.5.3.2: DATA dripped a byte at a time within the idle timeout is cut off by the total DATA limit; nothing is spooled, memory and slot are freed")
    void drippingDataIsCutOff() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FakeSpool spool = new FakeSpool();
        InboundConfig config = SmtpHarness.withTimeouts(
                loopbackConfig(1), Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofMillis(800));
        ScheduledExecutorService dripper = Executors.newSingleThreadScheduledExecutor();
        try (SmtpServer server =
                new SmtpServer("relay.example.net", config, spool, group, registry, SmtpHarness.CLOCK)) {
            server.start();
            try (Line line = connect(server)) {
                line.read();
                line.command("EHLO c.example.org");
                line.command("MAIL FROM:<a@example.org>");
                line.command("RCPT TO:<b@example.com>");
                assertThat(line.command("DATA")).startsWith("354");
                // One byte every 50 ms, far inside the 5 s idle timeout; a write fails once the server has closed.
                dripper.scheduleAtFixedRate(() -> line.writeUnchecked("x"), 0, 50, TimeUnit.MILLISECONDS);
                assertThat(line.read()).isEqualTo("421 4.4.2 DATA took too long, closing connection");
                dripper.shutdownNow();
                assertThat(line.isClosedByServer()).isTrue();
            }
            Eventually.eventually(() ->
                    registry.get("sts.relay.inbound.sessions.active").gauge().value() == 0);
            assertThat(spool.commits).isEmpty();
            assertThat(spool.messages).hasSize(1);
            assertThat(spool.messages.get(0).discarded).isTrue();
            assertThat(spool.messages.get(0).size())
                    .as("bytes received before the cut")
                    .isGreaterThan(0);
            assertThat(spool.held()).isZero();
            assertThat(registry.get("sts.relay.inbound.rejections")
                            .tag("reason", "data_too_slow")
                            .counter()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get("sts.relay.inbound.rejections")
                            .tag("reason", "timeout")
                            .counter()
                            .count())
                    .isZero();
        } finally {
            dripper.shutdownNow();
        }
    }

    @Test
    @DisplayName(
            "RFC 4954 §9: after max-failures failed AUTH the address gets 421 4.7.0 and a close, and so does its next connection's AUTH")
    void authLockout() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InboundConfig config = SmtpHarness.withAuthFailures(
                tlsAndAuthConfig(5),
                new InboundConfig.AuthFailures(
                        3, Duration.ofMinutes(1), Duration.ofMillis(100), Duration.ofMillis(200)));
        String bad = "AUTH PLAIN " + TlsClient.b64("\0alice\0wrong");
        String lockedOut = "421 4.7.0 Too many failed authentication attempts from your address, try again later";
        try (SmtpServer server =
                new SmtpServer("relay.example.net", config, new FakeSpool(), group, registry, SmtpHarness.CLOCK)) {
            server.start();
            try (Line tls = authenticating(server)) {
                assertThat(tls.command(bad)).startsWith("535 5.7.8 ");
                assertThat(tls.command(bad)).startsWith("535 5.7.8 ");
                assertThat(tls.command(bad)).isEqualTo(lockedOut);
                assertThat(tls.isClosedByServer()).isTrue();
            }
            try (Line tls = authenticating(server)) {
                assertThat(tls.command("AUTH PLAIN " + TlsClient.b64("\0alice\0s3cret")))
                        .isEqualTo(lockedOut);
            }
        }
        assertThat(registry.get("sts.relay.inbound.rejections")
                        .tag("reason", "auth_failed")
                        .counter()
                        .count())
                .isEqualTo(3);
        assertThat(registry.get("sts.relay.inbound.rejections")
                        .tag("reason", "auth_throttled")
                        .counter()
                        .count())
                .isEqualTo(2);
    }

    @Test
    @DisplayName("start() names the address it cannot listen on")
    void bindFailure() throws Exception {
        try (SmtpServer first = server(new FakeSpool(), 1, false)) {
            first.start();
            int port = first.boundAddresses().get(0).getPort();
            InboundConfig busy =
                    config(List.of(new HostPort("127.0.0.1", port)), 1, Optional.empty(), Optional.empty());
            try (SmtpServer second = new SmtpServer(
                    "relay.example.net", busy, new FakeSpool(), group, new SimpleMeterRegistry(), SmtpHarness.CLOCK)) {
                assertThatThrownBy(second::start)
                        .isInstanceOf(IOException.class)
                        .hasMessageStartingWith("cannot listen on 127.0.0.1:" + port + ": ");
            }
        }
    }

    private SmtpServer server(FakeSpool spool, int perIp, boolean tlsAndAuth) throws Exception {
        InboundConfig config = tlsAndAuth
                ? tlsAndAuthConfig(perIp)
                : config(List.of(new HostPort("127.0.0.1", 0)), perIp, Optional.empty(), Optional.empty());
        return new SmtpServer("relay.example.net", config, spool, group, new SimpleMeterRegistry(), SmtpHarness.CLOCK);
    }

    private InboundConfig tlsAndAuthConfig(int perIp) throws Exception {
        Optional<InboundConfig.TlsFiles> tls = Optional.of(certificate.write(dir, true));
        String hash = new PasswordHasher(1000, new SecureRandom()).hash("s3cret".toCharArray());
        Optional<Path> users = Optional.of(Files.writeString(dir.resolve("users"), "alice:" + hash + "\n"));
        return config(List.of(new HostPort("127.0.0.1", 0)), perIp, tls, users);
    }

    // Loopback may relay without AUTH.
    private static InboundConfig loopbackConfig(int perIp) {
        InboundConfig c = config(List.of(new HostPort("127.0.0.1", 0)), perIp, Optional.empty(), Optional.empty());
        return new InboundConfig(
                c.listen(),
                List.of(Cidr.parse("127.0.0.0/8")),
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
                c.authFailures());
    }

    private static Line connect(SmtpServer server) throws IOException {
        return new Line(new Socket("127.0.0.1", server.boundAddresses().get(0).getPort()));
    }

    // A connection after greeting, EHLO and STARTTLS, with EHLO sent again over TLS.
    private static Line authenticating(SmtpServer server) throws Exception {
        Line line = connect(server);
        line.read();
        line.command("EHLO c.example.org");
        assertThat(line.command("STARTTLS")).startsWith("220 ");
        Line tls = line.startTls(trusting());
        assertThat(tls.command("EHLO c.example.org")).contains("250-AUTH PLAIN LOGIN");
        return tls;
    }

    private static InboundConfig config(
            List<HostPort> listen, int perIp, Optional<InboundConfig.TlsFiles> tls, Optional<Path> users) {
        // No allowed networks: only authenticated clients may relay.
        return new InboundConfig(
                listen,
                List.of(),
                100_000,
                998,
                10,
                10,
                perIp,
                10,
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                Duration.ofMinutes(10),
                tls,
                users,
                SmtpHarness.AUTH_FAILURES);
    }

    private static SSLContext trusting() throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("test", certificate.certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** A blocking line-oriented SMTP client for the test. */
    private static final class Line implements AutoCloseable {
        final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        Line(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(10_000);
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            this.out = socket.getOutputStream();
        }

        /** Sends raw text; an I/O error (the server closed) is rethrown unchecked, ending a scheduled dripper. */
        void writeUnchecked(String text) {
            try {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        String command(String text) throws IOException {
            out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read();
        }

        // Reads one reply, joining multi-line replies with CRLF.
        String read() throws IOException {
            StringBuilder reply = new StringBuilder();
            String l;
            while ((l = in.readLine()) != null) {
                reply.append(l);
                if (l.length() < 4 || l.charAt(3) != '-') {
                    break;
                }
                reply.append("\r\n");
            }
            return reply.toString();
        }

        /** Whether the server closed the connection: end of stream, or a reset if bytes were still on their way to it. */
        boolean isClosedByServer() throws IOException {
            try {
                return in.read() == -1;
            } catch (java.net.SocketException reset) {
                return true;
            }
        }

        Line startTls(SSLContext context) throws IOException {
            InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
            SSLSocket tls =
                    (SSLSocket) context.getSocketFactory().createSocket(socket, "localhost", remote.getPort(), true);
            tls.startHandshake();
            return new Line(tls);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
