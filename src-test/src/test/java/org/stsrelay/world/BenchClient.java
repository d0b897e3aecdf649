package org.stsrelay.world;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The load generator of bench/accept-benchmark.sh, run with {@code java -cp}: it does what {@code smtp-source}
 * does (sessions in parallel, a new connection per message: EHLO, MAIL, RCPT, DATA of a fixed size, QUIT) and
 * also times each message on the client side, from the start of the connect to the {@code 250} after DATA.
 *
 * <p>{@code BenchClient SESSIONS LENGTH} reads one run per line on standard input, {@code HOST:PORT COUNT},
 * sends COUNT messages of LENGTH octets to that server and prints one line of results (see {@link
 * Result#line()}); end of input ends the process. One process serves every run of a benchmark, so each server
 * is measured with the same, already compiled, client, and its CPU time over a run is the generator's cost.
 */
public final class BenchClient {

    static final String SENDER = "bench@client.test";
    static final String RECIPIENT = "rcpt@example.test";

    private static final String HEADER =
            "From: <" + SENDER + ">\r\nTo: <" + RECIPIENT + ">\r\nSubject: accept benchmark\r\n\r\n";
    private static final int LINE = 78;
    private static final double NANOS_PER_MS = 1_000_000.0;

    private static final int TIMEOUT_MS = 60_000;
    private static final List<Step> DIALOGUE = List.of(
            new Step("EHLO", "EHLO client.test", 250),
            new Step("MAIL", "MAIL FROM:<" + SENDER + ">", 250),
            new Step("RCPT", "RCPT TO:<" + RECIPIENT + ">", 250),
            new Step("DATA", "DATA", 354));
    private static final byte[] QUIT = "QUIT\r\n".getBytes(StandardCharsets.US_ASCII);

    private final int sessions;
    /** The content as sent after the 354: no line of it starts with a dot, so none is stuffed; then the final dot. */
    private final byte[] wire;

    BenchClient(int sessions, int length) {
        if (sessions < 1) {
            throw new IllegalArgumentException("sessions must be at least 1, not " + sessions);
        }
        this.sessions = sessions;
        byte[] content = content(length);
        this.wire = Arrays.copyOf(content, content.length + 3);
        System.arraycopy(new byte[] {'.', '\r', '\n'}, 0, wire, content.length, 3);
    }

    /** {@code BenchClient SESSIONS LENGTH}: runs each {@code HOST:PORT COUNT} line of standard input. */
    public static void main(String[] args) throws IOException, InterruptedException {
        BenchClient client = new BenchClient(Integer.parseInt(args[0]), Integer.parseInt(args[1]));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] words = line.trim().split("\\s+");
            int colon = words[0].lastIndexOf(':');
            InetSocketAddress target = new InetSocketAddress(
                    words[0].substring(0, colon), Integer.parseInt(words[0].substring(colon + 1)));
            Result result = client.run(target, Integer.parseInt(words[1]));
            result.firstFailure().ifPresent(why -> System.err.println("bench-client: first failure: " + why));
            System.out.println(result.line());
            System.out.flush();
        }
    }

    /** Sends {@code count} messages to {@code target} over {@code sessions} parallel sessions. */
    Result run(InetSocketAddress target, int count) throws InterruptedException {
        long[] total = new long[count];
        long[] afterData = new long[count];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>(sessions);
        for (int s = 0; s < sessions; s++) {
            threads.add(Daemons.start("bench-client-session", () -> {
                Replies replies = new Replies();
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    try {
                        send(target, i, total, afterData, replies);
                    } catch (IOException e) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, e.toString());
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return Result.of(count, failed.get(), seconds, total, afterData, firstFailure.get());
    }

    /**
     * One message on a new connection, in lock-step like smtp-source. Its latency runs from before the connect to
     * the reply after the final dot, as a client experiences it; the second figure, from the final dot to that
     * reply, is what the relay's own histogram measures. The commands and the content are encoded once and each
     * session reads replies into its own buffer: the generator shares the CPU with the server it measures, so
     * it does less per message than {@link SmtpTestClient}, which allocates and copies for clarity.
     */
    private void send(InetSocketAddress target, int index, long[] total, long[] afterData, Replies replies)
            throws IOException {
        long begin = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(target, TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            replies.expect(in, 220, "connect");
            for (Step step : DIALOGUE) {
                out.write(step.command());
                replies.expect(in, step.code(), step.name());
            }
            out.write(wire);
            long dot = System.nanoTime();
            replies.expect(in, 250, "end of DATA");
            long end = System.nanoTime();
            total[index] = end - begin;
            afterData[index] = end - dot;
            out.write(QUIT);
            replies.expect(in, 221, "QUIT");
        }
    }

    /** A message of exactly {@code length} octets: a few header fields, then lines of text. */
    static byte[] content(int length) {
        if (length < HEADER.length() + 3) {
            throw new IllegalArgumentException("length must be at least " + (HEADER.length() + 3) + ", not " + length);
        }
        StringBuilder text = new StringBuilder(length).append(HEADER);
        int remaining = length - HEADER.length();
        while (remaining > 0) {
            // Each line is text and CRLF; a full line always leaves the last one at least one octet of text.
            int take = remaining - 2 <= LINE ? remaining - 2 : Math.min(LINE, remaining - 5);
            text.append("x".repeat(take)).append("\r\n");
            remaining -= take + 2;
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A command of the dialogue, encoded with its CRLF, and the reply code it needs. */
    private record Step(String name, byte[] command, int code) {
        Step(String name, String line, int code) {
            this(name, (line + "\r\n").getBytes(StandardCharsets.US_ASCII), code);
        }
    }

    /** Reads one session's replies into a buffer it keeps from message to message. */
    private static final class Replies {

        private final byte[] buffer = new byte[8192];

        /** Reads one reply, multi-line or not (RFC 5321 §4.2.1); throws unless its code is {@code code}. */
        void expect(InputStream in, int code, String after) throws IOException {
            int length = 0;
            int lastLine = 0;
            while (true) {
                int n = in.read(buffer, length, buffer.length - length);
                if (n < 0) {
                    throw new EOFException("connection closed by the server after " + after);
                }
                length += n;
                int lineEnd;
                while ((lineEnd = lineEnd(lastLine, length)) >= 0) {
                    // The last line of a reply has a space (or nothing) after the code; the others a hyphen.
                    if (lineEnd - lastLine < 4 || buffer[lastLine + 3] != '-') {
                        check(lastLine, lineEnd, code, after);
                        return;
                    }
                    lastLine = lineEnd + 1;
                }
                if (length == buffer.length) {
                    throw new IOException("reply after " + after + " longer than " + buffer.length + " octets");
                }
            }
        }

        private int lineEnd(int from, int length) {
            for (int i = from; i < length; i++) {
                if (buffer[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private void check(int from, int lineEnd, int code, String after) throws SmtpReplyException {
            int got = lineEnd - from >= 3
                    ? (buffer[from] - '0') * 100 + (buffer[from + 1] - '0') * 10 + (buffer[from + 2] - '0')
                    : -1;
            if (got != code) {
                int text = Math.min(from + 4, lineEnd);
                String words = new String(buffer, text, lineEnd - text, StandardCharsets.US_ASCII).strip();
                throw new SmtpReplyException(after, new SmtpReply(got, List.of(words)));
            }
        }
    }

    /**
     * What one run measured.
     *
     * @param messages messages attempted
     * @param failed messages that did not get a {@code 250} after DATA (or whose connection failed)
     * @param seconds wall time of the run, from the first connect to the last message's end
     * @param totalMs connect to {@code 250}, in ms, sorted, of the messages that got one
     * @param afterDataMs final dot to {@code 250}, in ms, sorted, of the same messages
     * @param failure the first failure's description, null when none failed
     */
    record Result(int messages, int failed, double seconds, double[] totalMs, double[] afterDataMs, String failure) {

        static Result of(int messages, int failed, double seconds, long[] total, long[] afterData, String failure) {
            return new Result(messages, failed, seconds, sortedMs(total), sortedMs(afterData), failure);
        }

        // Unsent slots stay 0; a real latency is never 0 ns, so dropping the zeros leaves the messages that got a 250.
        private static double[] sortedMs(long[] nanos) {
            return Arrays.stream(nanos)
                    .filter(n -> n > 0)
                    .sorted()
                    .mapToDouble(n -> n / NANOS_PER_MS)
                    .toArray();
        }

        Optional<String> firstFailure() {
            return Optional.ofNullable(failure);
        }

        /** The nearest-rank percentile {@code p} (0 to 100) of sorted {@code values}; 0 when there are none. */
        static double percentile(double[] values, double p) {
            if (values.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(p / 100 * values.length);
            return values[Math.max(0, Math.min(values.length, rank) - 1)];
        }

        /**
         * {@code key=value} pairs separated by spaces: messages, failed, seconds, rate (messages per second),
         * p50_ms, p99_ms, max_ms (connect to {@code 250}), data_p50_ms, data_p99_ms (final dot to {@code 250}).
         */
        String line() {
            return String.format(
                    Locale.ROOT,
                    "messages=%d failed=%d seconds=%.2f rate=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f"
                            + " data_p50_ms=%.2f data_p99_ms=%.2f",
                    messages,
                    failed,
                    seconds,
                    (messages - failed) / seconds,
                    percentile(totalMs, 50),
                    percentile(totalMs, 99),
                    percentile(totalMs, 100),
                    percentile(afterDataMs, 50),
                    percentile(afterDataMs, 99));
        }
    }
}
