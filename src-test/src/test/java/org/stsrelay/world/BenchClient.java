package org.stsrelay.world;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The load generator of bench/accept-benchmark.sh, run with {@code java -cp}: it does what {@code smtp-source}
 * does (sessions in parallel, a new connection per message: EHLO, MAIL, RCPT, DATA of a fixed size, QUIT) and
 * also times each message on the client side, from the start of the connect to the {@code 250} after DATA.
 *
 * <p>{@code BenchClient SESSIONS LENGTH} reads one run per line on standard input, {@code HOST:PORT COUNT [RATE]},
 * sends COUNT messages of LENGTH octets to that server and prints one line of results (see {@link
 * Result#line()}); end of input ends the process. {@code self COUNT} sends them to a responder in this process
 * instead ({@link #warmUp(int)}). Without RATE the sessions run flat out (a closed loop: each
 * starts its next message as soon as the last one ends, so the latency is the sessions divided by the
 * throughput). With RATE, message {@code i} is due {@code i / RATE} seconds after the start and begins when it
 * is due and a session is free (an open loop); its latency counts from when it was due, so the time it waited
 * for a free session, or for this thread's millisecond timer, counts against the server and is not omitted. One process serves every run of a benchmark, so each server
 * is measured with the same, already compiled, client, and its CPU time over a run is the generator's cost.
 */
public final class BenchClient {

    static final String SENDER = "bench@client.test";
    static final String RECIPIENT = "rcpt@example.test";
    /** The target word of a standard-input line that runs {@link #warmUp(int)} instead of a server. */
    static final String SELF = "self";

    private static final String HEADER =
            "From: <" + SENDER + ">\r\nTo: <" + RECIPIENT + ">\r\nSubject: accept benchmark\r\n\r\n";
    private static final int LINE = 78;
    private static final double NANOS_PER_MS = 1_000_000.0;

    private static final int TIMEOUT_MS = 60_000;
    private static final long TIMEOUT_NANOS = TIMEOUT_MS * 1_000_000L;

    private final int sessions;
    /** What a session sends after each reply: EHLO, MAIL, RCPT, DATA, the content with its final dot, QUIT. */
    private final byte[][] sends;

    BenchClient(int sessions, int length) {
        if (sessions < 1) {
            throw new IllegalArgumentException("sessions must be at least 1, not " + sessions);
        }
        this.sessions = sessions;
        // No line of the content starts with a dot, so none is stuffed; the final dot follows it.
        byte[] content = content(length);
        byte[] wire = Arrays.copyOf(content, content.length + 3);
        System.arraycopy(new byte[] {'.', '\r', '\n'}, 0, wire, content.length, 3);
        this.sends = new byte[][] {
            line("EHLO client.test"),
            line("MAIL FROM:<" + SENDER + ">"),
            line("RCPT TO:<" + RECIPIENT + ">"),
            line("DATA"),
            wire,
            line("QUIT")
        };
    }

    /** {@code BenchClient SESSIONS LENGTH}: runs each {@code HOST:PORT COUNT} line of standard input. */
    public static void main(String[] args) throws IOException {
        BenchClient client = new BenchClient(Integer.parseInt(args[0]), Integer.parseInt(args[1]));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] words = line.trim().split("\\s+");
            int count = Integer.parseInt(words[1]);
            Result result =
                    words[0].equals(SELF) ? client.warmUp(count) : client.run(target(words[0]), count, rate(words));
            result.firstFailure().ifPresent(why -> System.err.println("bench-client: first failure: " + why));
            System.out.println(result.line());
            System.out.flush();
        }
    }

    private static InetSocketAddress target(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private static double rate(String[] words) {
        return words.length > 2 ? Double.parseDouble(words[2]) : 0;
    }

    /**
     * The client's own warm-up: {@code count} messages, flat out, to a {@link BenchResponder} in this process. A
     * benchmark runs it before it starts the server it measures, so that the JIT compiles the client on cores
     * that no measured server shares yet; the server's own warm-up is the benchmark's separate choice.
     */
    Result warmUp(int count) throws IOException {
        try (BenchResponder responder = BenchResponder.start()) {
            return run(responder.address(), count);
        }
    }

    /** A closed-loop run: {@link #run(InetSocketAddress, int, double)} with no rate. */
    Result run(InetSocketAddress target, int count) throws IOException {
        return run(target, count, 0);
    }

    /**
     * Sends {@code count} messages to {@code target} over {@code sessions} parallel sessions, all driven by this
     * thread's one selector, flat out when {@code rate} is 0, else {@code rate} messages per second. One thread
     * rather than one per session: the generator shares the CPUs with the server it measures, and 32 blocking
     * threads would add their own scheduling delay to every latency.
     */
    Result run(InetSocketAddress target, int count, double rate) throws IOException {
        if (rate < 0 || Double.isNaN(rate)) {
            throw new IllegalArgumentException("rate must be 0 (flat out) or positive, not " + rate);
        }
        Tally tally = new Tally(count);
        long start = System.nanoTime();
        Schedule schedule = new Schedule(start, rate);
        try (Selector selector = Selector.open()) {
            List<BenchSession> all = new ArrayList<>(sessions);
            for (int s = 0; s < sessions; s++) {
                all.add(new BenchSession(sends));
            }
            List<BenchSession> idle = new ArrayList<>(all);
            while (tally.done < count) {
                startDue(idle, selector, target, tally, schedule);
                long wait = idle.isEmpty() ? 1000 : schedule.millisUntil(tally.next, tally.total.length);
                if (wait == 0) {
                    selector.selectNow();
                } else {
                    selector.select(wait);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    BenchSession session = (BenchSession) key.attachment();
                    try {
                        tally.timed(session.index(), session.ready(TIMEOUT_NANOS));
                    } catch (IOException e) {
                        tally.failed(e.toString());
                        session.finish();
                    }
                    tally.ended(session, idle);
                }
                selector.selectedKeys().clear();
                expire(all, idle, tally);
            }
        }
        return tally.result((System.nanoTime() - start) / 1e9);
    }

    /** Starts, on idle sessions, every message that is due; each one's latency counts from when it was due. */
    private static void startDue(
            List<BenchSession> idle, Selector selector, InetSocketAddress target, Tally tally, Schedule schedule) {
        long now = System.nanoTime();
        while (!idle.isEmpty() && tally.next < tally.total.length && schedule.due(tally.next) - now <= 0) {
            BenchSession session = idle.remove(idle.size() - 1);
            long begin = schedule.paced() ? schedule.due(tally.next) : now;
            try {
                session.start(selector, target, tally.next++, begin, TIMEOUT_NANOS);
            } catch (IOException e) {
                tally.failed(e.toString());
                session.finish();
                tally.done++;
                idle.add(session);
            }
        }
    }

    /** When each message is due: at once in a closed loop; {@code i / rate} seconds after the start when paced. */
    private record Schedule(long start, double rate) {

        boolean paced() {
            return rate > 0;
        }

        long due(int message) {
            return paced() ? start + (long) (message * 1e9 / rate) : start;
        }

        /** How long the selector may sleep before message {@code next} is due: 1 s when none is left to start. */
        long millisUntil(int next, int count) {
            if (next >= count) {
                return 1000;
            }
            long nanos = due(next) - System.nanoTime();
            return nanos <= 0 ? 0 : Math.max(1, nanos / 1_000_000);
        }
    }

    /** Fails each message that waited longer than the timeout for a reply. */
    private static void expire(List<BenchSession> all, List<BenchSession> idle, Tally tally) {
        long now = System.nanoTime();
        for (BenchSession session : all) {
            if (session.busy() && now - session.deadline() > 0) {
                tally.failed("timed out: no reply within " + TIMEOUT_MS + " ms");
                session.finish();
                tally.ended(session, idle);
            }
        }
    }

    /** The counts and latencies of one run; touched by the selector thread only. */
    private static final class Tally {
        final long[] total;
        final long[] afterData;
        int next;
        int done;
        int failed;
        String firstFailure;

        Tally(int count) {
            total = new long[count];
            afterData = new long[count];
        }

        void timed(int index, long[] timing) {
            if (timing != null) {
                total[index] = timing[0];
                afterData[index] = timing[1];
            }
        }

        void failed(String why) {
            failed++;
            firstFailure = firstFailure == null ? why : firstFailure;
        }

        /** Counts a session's message as done once it ended, and makes the session idle. */
        void ended(BenchSession session, List<BenchSession> idle) {
            if (!session.busy() && !idle.contains(session)) {
                done++;
                idle.add(session);
            }
        }

        Result result(double seconds) {
            return Result.of(total.length, failed, seconds, total, afterData, firstFailure);
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

    private static byte[] line(String command) {
        return (command + "\r\n").getBytes(StandardCharsets.US_ASCII);
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
