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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.stsrelay.mail.HeaderSection;

/**
 * The receiving side of bench/delivery-benchmark.sh and bench/soak.sh, run with {@code java -cp}: a world with two
 * domains, each with one TLS sink MX whose certificate is from the test CA: {@code bench.test}, which
 * publishes an MTA-STS enforce policy for its MX, and {@code dane.test}, which publishes no policy but a
 * DANE-EE TLSA record ({@code 3 1 1}) of its MX's key. Every answer of the world is DNSSEC-signed, with a
 * TTL of five minutes so that the relay's DNS cache works as it would against real zones. Writes into DIR:
 * {@code world.yaml} (the relay's dns/tls/mta-sts/delivery sections), {@code world.env} (for the script),
 * {@code sink.stats} (received, connections, handshakes, resumptions, all summed over both MXs, and DNS
 * queries answered; rewritten every 200 ms), {@code sink.times} (one line per message: receive time in
 * ms, the top Received: header's time in ms, TLS protocol) and {@code sink.ledger} (distinct queue ids
 * received, duplicates, messages without a queue id, recipients deferred, policy fetches answered, policy ids
 * published, TLS-RPT report mails received; rewritten with sink.stats). {@link BenchSinkOptions} adds what a
 * soak needs: deferrals, a short policy max_age, rotating policy ids, and TLS-RPT records whose reports
 * {@code mx.reports.test} receives into {@code reports.log}.
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
    private static final String REPORTS_DOMAIN = "reports.test";
    private static final String REPORTS_MX = "mx.reports.test";
    private static final Duration DNS_TTL = Duration.ofMinutes(5);
    private static final DateTimeFormatter RECEIVED_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private BenchSink() {}

    /** {@code BenchSink DIR [options]} (see {@link BenchSinkOptions}): runs until killed. */
    public static void main(String[] args) throws Exception {
        BenchSinkOptions options = BenchSinkOptions.parse(args);
        Path dir = options.dir();
        LocalWorld world = LocalWorld.start(dir, DNS_TTL);
        AtomicLong received = new AtomicLong();
        DeliveryLedger ledger = new DeliveryLedger();
        BufferedWriter times = Files.newBufferedWriter(dir.resolve("sink.times"), StandardCharsets.US_ASCII);
        Consumer<ReceivedMessage> observer = m -> record(times, received, ledger, m);
        MxOptions sink = MxOptions.tls(CertificateKind.GOOD).discarding().deferringEvery(options.deferEvery());
        MxServer mx = world.mx(MX, sink, observer);
        world.routes(MTA_STS_DOMAIN, MX);
        world.publishPolicy(MTA_STS_DOMAIN, "1", "enforce", List.of(MX), options.policyMaxAge());
        MxServer daneMx = world.mx(DANE_MX, sink, observer);
        world.routes(DANE_DOMAIN, DANE_MX);
        world.dns().tlsa(DANE_MX, List.of(daneEe(daneMx.certificate())));
        ReportInbox reports = new ReportInbox(dir.resolve("reports.log"));
        if (options.tlsReports()) {
            receiveReports(world, reports);
        }
        AtomicLong policyIds = new AtomicLong(1);
        if (!options.policyIdEvery().isZero()) {
            rotatePolicyIds(world, options.policyIdEvery(), policyIds);
        }
        Files.writeString(
                dir.resolve("world.yaml"),
                world.relayYaml(dir.resolve("policies"), "published", Duration.ofSeconds(5), Duration.ofDays(1)));
        Files.writeString(
                dir.resolve("world.env"),
                "DELIVERY_PORT=" + world.deliveryPort() + "\nMX_ADDRESS="
                        + mx.address().getAddress().getHostAddress() + "\nMX_NAME=" + MX + "\nCA_FILE=" + world.caFile()
                        + "\nMTA_STS_DOMAIN=" + MTA_STS_DOMAIN + "\nDANE_DOMAIN=" + DANE_DOMAIN + "\n");
        List<MxServer> sinks = new ArrayList<>(List.of(mx, daneMx));
        ManyDomains many = null;
        if (options.manyDomains() > 0) {
            MxServer manyMx = world.wildcardMx(ManyDomains.MX_ZONE, sink, observer);
            sinks.add(manyMx);
            many = ManyDomains.publish(world, options.manyDomains(), manyMx, "enforce");
        }
        while (true) {
            if (many != null) {
                many.writeStats(dir.resolve("many.stats"));
            }
            synchronized (times) {
                times.flush();
            }
            replace(
                    dir.resolve("sink.stats"),
                    received.get() + " " + sum(sinks, MxServer::connections) + " "
                            + sum(sinks, MxServer::handshakes) + " " + sum(sinks, MxServer::resumptions) + " "
                            + world.dns().queries());
            replace(
                    dir.resolve("sink.ledger"),
                    ledger.distinct() + " " + ledger.duplicates() + " " + ledger.unidentified() + " "
                            + sum(sinks, MxServer::deferrals) + " "
                            + world.policyHosts().fetches() + " "
                            + policyIds.get() + " " + reports.received());
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /**
     * RFC 8460 §3: both domains ask for reports by mail to the reports domain; RFC 8460 §1.3: a DANE session is
     * reported to the TLSA base domain, the MX host.
     */
    private static void receiveReports(LocalWorld world, ReportInbox inbox) {
        world.mx(REPORTS_MX, MxOptions.tls(CertificateKind.GOOD).discarding(), inbox);
        world.routes(REPORTS_DOMAIN, REPORTS_MX);
        String record = "v=TLSRPTv1; rua=mailto:tlsrpt@" + REPORTS_DOMAIN;
        world.dns().txt("_smtp._tls." + MTA_STS_DOMAIN, record);
        world.dns().txt("_smtp._tls." + DANE_MX, record);
    }

    /** RFC 8461 §3.1: a new id in the TXT record tells senders the policy changed, so each fetches it again. */
    private static void rotatePolicyIds(LocalWorld world, Duration every, AtomicLong published) {
        Daemons.start("bench-policy-ids", () -> {
            try {
                while (true) {
                    TimeUnit.MILLISECONDS.sleep(every.toMillis());
                    world.dns().txt("_mta-sts." + MTA_STS_DOMAIN, "v=STSv1; id=" + published.incrementAndGet() + ";");
                }
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        });
    }

    // Readers poll these files, so each is replaced whole.
    private static void replace(Path file, String line) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, line + "\n");
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
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

    private static void record(
            BufferedWriter times, AtomicLong received, DeliveryLedger ledger, ReceivedMessage message) {
        received.incrementAndGet();
        String content = message.text();
        ledger.record(content);
        long accepted = topReceivedMillis(content);
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
        return firstField(content, "Received")
                .map(field -> {
                    // RFC 5322 §3.3: folding white space may pad the date, as Postfix pads a one-digit day ("Fri,  4
                    // Dec").
                    String date = field.substring(field.lastIndexOf(';') + 1)
                            .replaceAll("\\(.*\\)", "")
                            .replaceAll("\\s+", " ")
                            .trim();
                    try {
                        return ZonedDateTime.parse(date, RECEIVED_DATE)
                                .toInstant()
                                .toEpochMilli();
                    } catch (DateTimeParseException unreadable) {
                        return -1L;
                    }
                })
                .orElse(-1L);
    }

    /** The value of the first header field named {@code name}, unfolded (RFC 5322 §2.2.3); empty when none. */
    static Optional<String> firstField(String content, String name) {
        int end = content.startsWith("\r\n") ? 0 : content.indexOf("\r\n\r\n");
        String header = end < 0 ? content : content.substring(0, end);
        String prefix = name + ":";
        return HeaderSection.unfoldedFields(header).stream()
                .filter(field -> field.regionMatches(true, 0, prefix, 0, prefix.length()))
                .findFirst()
                .map(field -> field.substring(prefix.length()));
    }
}
