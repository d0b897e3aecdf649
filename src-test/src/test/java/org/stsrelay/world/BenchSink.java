package org.stsrelay.world;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The receiving side of bench/delivery-benchmark.sh, run with {@code java -cp}: a world with one
 * domain, {@code bench.test}, publishing an enforce policy for its one MX, a TLS sink with a
 * certificate from the test CA. Writes into DIR: {@code world.yaml} (the relay's dns/tls/mta-sts/
 * delivery sections), {@code world.env} (for the script), {@code sink.stats} (received,
 * connections, handshakes, resumptions; rewritten every 200 ms) and {@code sink.times} (one line per
 * message: receive time in ms, the top Received: header's time in ms, TLS protocol).
 */
public final class BenchSink {

    private static final String MX = "mx.bench.test";
    private static final DateTimeFormatter RECEIVED_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private BenchSink() {
    }

    /** {@code BenchSink DIR}: runs until killed. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        LocalWorld world = LocalWorld.start(dir);
        AtomicLong received = new AtomicLong();
        BufferedWriter times = Files.newBufferedWriter(dir.resolve("sink.times"), StandardCharsets.US_ASCII);
        MxServer mx = world.mx(MX, MxOptions.tls(CertificateKind.GOOD).discarding(), m -> record(times, received, m));
        world.routes("bench.test", MX);
        world.publishPolicy("bench.test", "1", "enforce", List.of(MX));
        Files.writeString(dir.resolve("world.yaml"), world.relayYaml(dir.resolve("policies"), "published",
                Duration.ofSeconds(5), Duration.ofDays(1)));
        Files.writeString(dir.resolve("world.env"), "DELIVERY_PORT=" + world.deliveryPort() + "\nMX_ADDRESS="
                + mx.address().getAddress().getHostAddress() + "\nMX_NAME=" + MX + "\nCA_FILE=" + world.caFile() + "\n");
        while (true) {
            synchronized (times) {
                times.flush();
            }
            Path stats = dir.resolve("sink.stats.tmp");
            Files.writeString(stats, received.get() + " " + mx.connections() + " " + mx.handshakes() + " "
                    + mx.resumptions() + "\n");
            Files.move(stats, dir.resolve("sink.stats"), StandardCopyOption.ATOMIC_MOVE);
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private static void record(BufferedWriter times, AtomicLong received, ReceivedMessage message) {
        received.incrementAndGet();
        long accepted = topReceivedMillis(message.text());
        synchronized (times) {
            try {
                times.write(message.receivedAt().toEpochMilli() + "\t" + accepted + "\t"
                        + message.tlsProtocol().orElse("none") + "\t" + message.connection() + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** RFC 5321 §4.4: the last hop's Received: field ends in "; date-time", at one-second resolution. */
    static long topReceivedMillis(String content) {
        String unfolded = content.replace("\r\n\t", " ").replace("\r\n ", " ");
        for (String line : unfolded.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            if (line.regionMatches(true, 0, "Received:", 0, 9)) {
                String date = line.substring(line.lastIndexOf(';') + 1).replaceAll("\\(.*\\)", "").trim();
                try {
                    return ZonedDateTime.parse(date, RECEIVED_DATE).toInstant().toEpochMilli();
                } catch (DateTimeParseException unreadable) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
