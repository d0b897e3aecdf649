package org.stsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.world.Await;
import org.stsrelay.world.QueueEntry;
import org.stsrelay.world.RelayConfigFile;
import org.stsrelay.world.RelayJar;
import org.stsrelay.world.RelayProcess;
import org.stsrelay.world.RelayQueue;
import org.stsrelay.world.SmtpReply;
import org.stsrelay.world.SmtpTestClient;

/**
 * SIGTERM is the orderly stop: the relay closes its listeners, lets a DATA transaction in flight
 * finish and acknowledge with 250, tells idle sessions {@code 421 4.3.2}, closes every session and
 * exits; the acknowledged message is in the spool when the relay starts again.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GracefulStopIT {

    /** Bounds a hung stop only: how long the relay takes is not what this test measures. */
    private static final Duration EXIT_BOUND = Duration.ofSeconds(60);

    @TempDir
    Path relayDir;

    @Test
    @DisplayName("SIGTERM: in-flight DATA finishes with 250, idle sessions get 421 4.3.2, listeners close, exit 0/143")
    void sigtermFinishesInFlightTransaction() throws Exception {
        RelayJar jar = RelayJar.located();
        RelayConfigFile config = RelayConfigFile.write(relayDir);
        RelayQueue queue = new RelayQueue(jar, config, relayDir);
        InetSocketAddress smtp = config.smtpAddress();
        String id;

        try (RelayProcess relay = RelayProcess.start(jar, config, relayDir.resolve("relay-stopped.log"))) {
            try {
                try (RawSession inFlight = new RawSession(smtp);
                        SmtpTestClient idle = SmtpTestClient.connect(smtp)) {
                    assertThat(idle.greeting().code())
                            .as("idle session greeting")
                            .isEqualTo(220);
                    idle.ehlo("idle.e2e.test");

                    assertThat(inFlight.readReply()).as("greeting").startsWith("220");
                    assertThat(inFlight.command("EHLO inflight.e2e.test")).startsWith("250");
                    assertThat(inFlight.command("MAIL FROM:<stop@example.test>"))
                            .startsWith("250");
                    assertThat(inFlight.command("RCPT TO:<rcpt-stop@example.test>"))
                            .startsWith("250");
                    assertThat(inFlight.command("DATA")).startsWith("354");
                    inFlight.write("From: <stop@example.test>\r\nTo: <rcpt-stop@example.test>\r\n"
                            + "Subject: graceful stop\r\nMessage-ID: <graceful-stop@e2e.test>\r\n\r\n"
                            + "first half of the body, sent before SIGTERM\r\n");

                    assertThat(ProcessHandle.of(relay.pid()).orElseThrow().destroy())
                            .as("SIGTERM sent")
                            .isTrue();

                    SmtpReply idleReply = idle.readReply();
                    assertThat(idleReply.code()).as("idle session told to go").isEqualTo(421);
                    assertThat(idleReply.last()).as("idle session reply text").startsWith("4.3.2");
                    assertClosed(idle);

                    assertNoNewSession(smtp);

                    inFlight.write("second half of the body, sent after SIGTERM\r\n.\r\n");
                    String queued = inFlight.readReply();
                    assertThat(queued)
                            .as("in-flight transaction finished")
                            .matches("250 2\\.0\\.0 Ok: queued as [0-9A-Z]{16}");
                    id = queued.substring(queued.lastIndexOf(' ') + 1);
                    String after = inFlight.readReplyOrEof();
                    if (after != null) {
                        assertThat(after)
                                .as("after the 250 the session is ended")
                                .startsWith("421 4.3.2");
                        assertThat(inFlight.readReplyOrEof()).as("then EOF").isNull();
                    }

                    Await.until(EXIT_BOUND, () -> !relay.isAlive(), () -> "relay still running after SIGTERM");
                    assertThat(relay.stop()).as("exit code after SIGTERM").isIn(0, 143);
                }
            } catch (AssertionError failure) {
                throw relay.annotate(failure);
            }
        }

        try (RelayProcess restarted = RelayProcess.start(jar, config, relayDir.resolve("relay-restarted.log"))) {
            try {
                List<String> ids = queue.list().stream().map(QueueEntry::id).toList();
                assertThat(ids)
                        .as("the message acknowledged during shutdown is spooled")
                        .contains(id);
            } catch (AssertionError failure) {
                throw restarted.annotate(failure);
            }
        }
    }

    private static void assertClosed(SmtpTestClient client) {
        try {
            SmtpReply more = client.readReply();
            throw new AssertionError("expected the relay to close the session, got " + more);
        } catch (IOException closed) {
            // EOF or reset: the relay closed the connection
        }
    }

    /** After SIGTERM the listeners are closed: a new connection is refused or never greeted. */
    private static void assertNoNewSession(InetSocketAddress smtp) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(smtp, 2000);
            socket.setSoTimeout(3000);
            int b = socket.getInputStream().read();
            assertThat(b).as("a new connection after SIGTERM gets no greeting").isEqualTo(-1);
        } catch (IOException refused) {
            // refused, reset or silent: no new session
        }
    }

    /** A lock-step SMTP connection that can also write part of the content without the final dot. */
    private static final class RawSession implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        RawSession(InetSocketAddress server) throws IOException {
            socket = new Socket();
            socket.connect(server, 5000);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        String command(String line) throws IOException {
            write(line + "\r\n");
            return readReply();
        }

        void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** The last line of the next reply. */
        String readReply() throws IOException {
            String reply = readReplyOrEof();
            if (reply == null) {
                throw new EOFException("connection closed by the relay");
            }
            return reply;
        }

        String readReplyOrEof() throws IOException {
            while (true) {
                String line;
                try {
                    line = readLine();
                } catch (java.net.SocketException reset) {
                    return null;
                }
                if (line == null) {
                    return null;
                }
                if (line.length() < 4 || line.charAt(3) != '-') {
                    return line;
                }
            }
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int previous = -1;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                if (b == '\n' && previous == '\r') {
                    byte[] bytes = line.toByteArray();
                    return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
                }
                line.write(b);
                previous = b;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
