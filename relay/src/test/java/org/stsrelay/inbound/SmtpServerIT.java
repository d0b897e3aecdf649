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
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.config.HostPort;
import org.stsrelay.config.InboundConfig;

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
    @DisplayName("RFC 3207 + RFC 4954: EHLO, STARTTLS (TLS 1.3), EHLO shows AUTH, AUTH PLAIN, MAIL/RCPT/DATA → 250 queued")
    void startTlsAuthAndSend() throws Exception {
        FakeSpool spool = new FakeSpool();
        try (SmtpServer server = server(spool, 5, true)) {
            server.start();
            assertThat(server.isListening()).isTrue();
            try (Line line = new Line(new Socket("127.0.0.1", server.boundAddresses().get(0).getPort()))) {
                assertThat(line.read()).startsWith("220 relay.example.net ESMTP");
                assertThat(line.command("EHLO c.example.org")).contains("250-STARTTLS").doesNotContain("AUTH");
                assertThat(line.command("STARTTLS")).isEqualTo("220 2.0.0 Ready to start TLS");
                Line tls = line.startTls(trusting());
                assertThat(((SSLSocket) tls.socket).getSession().getProtocol()).isEqualTo("TLSv1.3");
                assertThat(tls.command("EHLO c.example.org")).contains("250-AUTH PLAIN LOGIN");
                String credentials = Base64.getEncoder().encodeToString("\0alice\0s3cret".getBytes(StandardCharsets.UTF_8));
                assertThat(tls.command("AUTH PLAIN " + credentials)).isEqualTo("235 2.7.0 Authentication successful");
                assertThat(tls.command("MAIL FROM:<a@example.org>")).startsWith("250 2.1.0");
                assertThat(tls.command("RCPT TO:<b@example.com>")).startsWith("250 2.1.5");
                assertThat(tls.command("DATA")).startsWith("354");
                assertThat(tls.command("Subject: hi\r\n\r\nhello\r\n.")).isEqualTo("250 2.0.0 Ok: queued as 0000000000000001");
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
            try (Line line = new Line(new Socket("127.0.0.1", server.boundAddresses().get(0).getPort()))) {
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
            try (Line first = new Line(new Socket("127.0.0.1", port)); Line second = new Line(new Socket("127.0.0.1", port))) {
                // The two connections may become active on different event loops in either order.
                assertThat(List.of(first.read(), second.read())).containsExactlyInAnyOrder(
                        "220 relay.example.net ESMTP sts-relay", "421 4.7.0 Too many connections, try again later");
            }
        }
    }

    @Test
    @DisplayName("start() names the address it cannot listen on")
    void bindFailure() throws Exception {
        try (SmtpServer first = server(new FakeSpool(), 1, false)) {
            first.start();
            int port = first.boundAddresses().get(0).getPort();
            InboundConfig busy = config(List.of(new HostPort("127.0.0.1", port)), 1, Optional.empty(), Optional.empty());
            try (SmtpServer second = new SmtpServer("relay.example.net", busy, new FakeSpool(), group, new SimpleMeterRegistry(), SmtpHarness.CLOCK)) {
                assertThatThrownBy(second::start).isInstanceOf(IOException.class).hasMessageStartingWith("cannot listen on 127.0.0.1:" + port + ": ");
            }
        }
    }

    private SmtpServer server(FakeSpool spool, int perIp, boolean tlsAndAuth) throws Exception {
        Optional<InboundConfig.TlsFiles> tls = Optional.empty();
        Optional<Path> users = Optional.empty();
        if (tlsAndAuth) {
            tls = Optional.of(certificate.write(dir, true));
            String hash = new PasswordHasher(1000, new SecureRandom()).hash("s3cret".toCharArray());
            users = Optional.of(Files.writeString(dir.resolve("users"), "alice:" + hash + "\n"));
        }
        InboundConfig config = config(List.of(new HostPort("127.0.0.1", 0)), perIp, tls, users);
        return new SmtpServer("relay.example.net", config, spool, group, new SimpleMeterRegistry(), SmtpHarness.CLOCK);
    }

    private static InboundConfig config(List<HostPort> listen, int perIp, Optional<InboundConfig.TlsFiles> tls, Optional<Path> users) {
        // No allowed networks: only authenticated clients may relay.
        return new InboundConfig(listen, List.of(), 100_000, 998, 10, 10, perIp, 10, Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofMinutes(10), tls, users, SmtpHarness.AUTH_FAILURES);
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

        Line startTls(SSLContext context) throws IOException {
            InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, "localhost", remote.getPort(), true);
            tls.startHandshake();
            return new Line(tls);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
