package org.stsrelay.world;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * The receiving side of bench/delivery-benchmark.sh, run with {@code java -cp}: a world with two
 * domains, each with one TLS sink MX whose certificate is from the test CA: {@code bench.test}, which
 * publishes an MTA-STS enforce policy for its MX, and {@code dane.test}, which publishes no policy but a
 * DANE-EE TLSA record ({@code 3 1 1}) of its MX's key. Every answer of the world is DNSSEC-signed, with a
 * TTL of five minutes so that the relay's DNS cache works as it would against real zones. Writes into DIR:
 * {@code world.yaml} (the relay's dns/tls/mta-sts/delivery sections), {@code world.env} (for the script),
 * {@code sink.stats} (received, connections, handshakes, resumptions, all summed over both MXs, and DNS
 * queries answered; rewritten every 200 ms) and {@code sink.times} (one line per message: receive time in
 * ms, the top Received: header's time in ms, TLS protocol).
 *
 * <p>With {@code --many-domains N} the world also holds {@link ManyDomains}: N more enforce domains, routed to a
 * third sink MX (counted in {@code sink.stats} and {@code sink.times} like the others), and writes
 * {@code many.stats} every 200 ms (TXT queries answered, then policy fetches per domain).
 */
public final class BenchSink {

    private static final String MTA_STS_DOMAIN = "bench.test";
    private static final String MX = "mx.bench.test";
    private static final String DANE_DOMAIN = "dane.test";
    private static final String DANE_MX = "mx.dane.test";
    private static final Duration DNS_TTL = Duration.ofMinutes(5);
    private static final DateTimeFormatter RECEIVED_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private BenchSink() {}

    /** {@code BenchSink DIR [--many-domains N]}: runs until killed. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        LocalWorld world = LocalWorld.start(dir, DNS_TTL);
        AtomicLong received = new AtomicLong();
        BufferedWriter times = Files.newBufferedWriter(dir.resolve("sink.times"), StandardCharsets.US_ASCII);
        MxOptions sink = MxOptions.tls(CertificateKind.GOOD).discarding();
        MxServer mx = world.mx(MX, sink, m -> record(times, received, m));
        world.routes(MTA_STS_DOMAIN, MX);
        world.publishPolicy(MTA_STS_DOMAIN, "1", "enforce", List.of(MX));
        MxServer daneMx = world.mx(DANE_MX, sink, m -> record(times, received, m));
        world.routes(DANE_DOMAIN, DANE_MX);
        world.dns().tlsa(DANE_MX, List.of(daneEe(daneMx.certificate())));
        List<MxServer> sinks = new ArrayList<>(List.of(mx, daneMx));
        int manyCount = manyDomains(args);
        ManyDomains many = null;
        if (manyCount > 0) {
            MxServer manyMx = world.wildcardMx(ManyDomains.MX_ZONE, sink, m -> record(times, received, m));
            sinks.add(manyMx);
            many = ManyDomains.publish(world, manyCount, manyMx, "enforce");
        }
        Files.writeString(
                dir.resolve("world.yaml"),
                world.relayYaml(dir.resolve("policies"), "published", Duration.ofSeconds(5), Duration.ofDays(1)));
        Files.writeString(
                dir.resolve("world.env"),
                "DELIVERY_PORT=" + world.deliveryPort() + "\nMX_ADDRESS="
                        + mx.address().getAddress().getHostAddress() + "\nMX_NAME=" + MX + "\nCA_FILE=" + world.caFile()
                        + "\nMTA_STS_DOMAIN=" + MTA_STS_DOMAIN + "\nDANE_DOMAIN=" + DANE_DOMAIN + "\n");
        while (true) {
            if (many != null) {
                many.writeStats(dir.resolve("many.stats"));
            }
            synchronized (times) {
                times.flush();
            }
            Path stats = dir.resolve("sink.stats.tmp");
            Files.writeString(
                    stats,
                    received.get() + " " + sum(sinks, MxServer::connections) + " "
                            + sum(sinks, MxServer::handshakes) + " " + sum(sinks, MxServer::resumptions) + " "
                            + world.dns().queries() + "\n");
            Files.move(stats, dir.resolve("sink.stats"), StandardCopyOption.ATOMIC_MOVE);
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /** The N of {@code --many-domains N} after DIR, or 0. */
    static int manyDomains(String[] args) {
        if (args.length == 1) {
            return 0;
        }
        if (args.length == 3 && args[1].equals("--many-domains")) {
            return Integer.parseInt(args[2]);
        }
        throw new IllegalArgumentException("usage: BenchSink DIR [--many-domains N]");
    }

    /** RFC 7672 §3.1.1: a DANE-EE(3) SPKI(1) SHA2-256(1) record matches the server's public key alone. */
    static String daneEe(X509Certificate certificate) throws NoSuchAlgorithmException {
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(certificate.getPublicKey().getEncoded());
        return "3 1 1 " + HexFormat.of().formatHex(digest);
    }

    private static long sum(List<MxServer> servers, ToLongFunction<MxServer> count) {
        return servers.stream().mapToLong(count).sum();
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
                // RFC 5322 §3.3: folding white space may pad the date, as Postfix pads a one-digit day ("Fri,  4 Dec").
                String date = line.substring(line.lastIndexOf(';') + 1)
                        .replaceAll("\\(.*\\)", "")
                        .replaceAll("\\s+", " ")
                        .trim();
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
