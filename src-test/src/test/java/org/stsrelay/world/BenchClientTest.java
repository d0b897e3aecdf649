package org.stsrelay.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BenchClientTest {

    private static final int LENGTH = 10240;

    @TempDir
    Path certificates;

    @Test
    @DisplayName("every message arrives whole, once, from the benchmark's sender to its recipient")
    void sendsEachMessageOnce() throws Exception {
        List<ReceivedMessage> received = new ArrayList<>();
        try (MxServer mx = mx(MxOptions.plaintextOnly(), received)) {
            BenchClient.Result result = new BenchClient(4, LENGTH).run(mx.address(), 25);

            assertThat(result.messages()).isEqualTo(25);
            assertThat(result.failed()).isZero();
            assertThat(result.totalMs()).hasSize(25);
            assertThat(result.afterDataMs()).hasSize(25);
            assertThat(result.line()).startsWith("messages=25 failed=0 ");
            Await.until(java.time.Duration.ofSeconds(10), () -> size(received) == 25, () -> size(received) + " of 25");
            synchronized (received) {
                assertThat(received).allSatisfy(message -> {
                    assertThat(message.sender()).isEqualTo(BenchClient.SENDER);
                    assertThat(message.recipients()).containsExactly(BenchClient.RECIPIENT);
                    assertThat(message.content()).isEqualTo(BenchClient.content(LENGTH));
                });
            }
        }
    }

    @Test
    @DisplayName("a paced run starts message i no earlier than i / rate seconds after the start, and sends each once")
    void pacedRunKeepsToItsRate() throws Exception {
        List<ReceivedMessage> received = new ArrayList<>();
        try (MxServer mx = mx(MxOptions.plaintextOnly(), received)) {
            BenchClient.Result result = new BenchClient(4, LENGTH).run(mx.address(), 21, 100);

            assertThat(result.failed()).isZero();
            assertThat(result.totalMs()).hasSize(21);
            // The last of 21 messages is due 200 ms after the start, and ends after it began.
            assertThat(result.seconds()).isGreaterThanOrEqualTo(0.2);
            Await.until(java.time.Duration.ofSeconds(10), () -> size(received) == 21, () -> size(received) + " of 21");
        }
    }

    @Test
    @DisplayName("the client's own warm-up: its in-process responder answers every message, whole dialogue to 221")
    void warmsUpAgainstItsOwnResponder() throws Exception {
        BenchClient client = new BenchClient(4, LENGTH);
        BenchClient.Result result = client.warmUp(40);

        assertThat(result.messages()).isEqualTo(40);
        assertThat(result.failed()).isZero();
        assertThat(result.totalMs()).hasSize(40);
        assertThat(result.afterDataMs()).hasSize(40);
    }

    @Test
    @DisplayName("the responder ends the content at CRLF.CRLF only, whatever dots and CRs the lines hold")
    void responderFindsTheFinalDotOnly() throws Exception {
        try (BenchResponder responder = BenchResponder.start();
                Socket socket = new Socket()) {
            socket.connect(responder.address(), 5000);
            socket.setSoTimeout(5000);
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            assertThat(in.readLine()).startsWith("220 ");
            out.write("EHLO a\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(List.of(in.readLine(), in.readLine(), in.readLine(), in.readLine()))
                    .containsExactly("250 ok", "250 ok", "250 ok", "354 go ahead");
            out.write("..stuffed\r\n\r\r\n.x\r\n.\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(List.of(in.readLine(), in.readLine())).containsExactly("250 ok", "221 bye");
            assertThat(in.readLine()).isNull();
            socket.close();
            responder.close();
            assertThat(responder.messages()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a negative rate is refused")
    void refusesANegativeRate() {
        assertThatThrownBy(() -> new BenchClient(1, LENGTH).run(new InetSocketAddress("127.0.0.1", 9), 1, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("a message refused at RCPT counts as failed and has no latency")
    void countsRefusalsAsFailures() throws Exception {
        try (MxServer mx = mx(MxOptions.plaintextOnly().rejecting(BenchClient.RECIPIENT), new ArrayList<>())) {
            BenchClient.Result result = new BenchClient(2, LENGTH).run(mx.address(), 5);

            assertThat(result.failed()).isEqualTo(5);
            assertThat(result.totalMs()).isEmpty();
            assertThat(result.firstFailure())
                    .hasValueSatisfying(why ->
                            assertThat(why).startsWith("org.stsrelay.world.SmtpReplyException: RCPT answered 5"));
        }
    }

    @ParameterizedTest(name = "{0} octets")
    @ValueSource(ints = {85, 86, 160, 161, 1000, 10240})
    @DisplayName("RFC 5322 §2.1.1: the content has exactly the asked length, CRLF lines of at most 78 characters")
    void contentHasTheAskedLength(int length) {
        byte[] content = BenchClient.content(length);

        assertThat(content).hasSize(length);
        String text = new String(content, java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(text).endsWith("\r\n").doesNotContain("\r\n\r\n\r\n");
        assertThat(text.split("\r\n"))
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
    }

    @Test
    @DisplayName("a length too short for the header fields is refused")
    void refusesATooShortLength() {
        assertThatThrownBy(() -> BenchClient.content(20)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("nearest-rank percentiles")
    void nearestRankPercentiles() {
        double[] values = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

        assertThat(BenchClient.Result.percentile(values, 50)).isEqualTo(5);
        assertThat(BenchClient.Result.percentile(values, 99)).isEqualTo(10);
        assertThat(BenchClient.Result.percentile(values, 100)).isEqualTo(10);
        assertThat(BenchClient.Result.percentile(new double[0], 99)).isZero();
    }

    private MxServer mx(MxOptions options, List<ReceivedMessage> received) throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), FreePorts.next());
        return MxServer.start("mx.client.test", address, options, WorldCertificates.create(certificates), message -> {
            synchronized (received) {
                received.add(message);
            }
        });
    }

    private static int size(List<ReceivedMessage> received) {
        synchronized (received) {
            return received.size();
        }
    }
}
