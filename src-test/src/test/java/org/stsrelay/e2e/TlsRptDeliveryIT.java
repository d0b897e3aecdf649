package org.stsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.world.Await;
import org.stsrelay.world.CertificateKind;
import org.stsrelay.world.CliResult;
import org.stsrelay.world.DeliveryAttempt;
import org.stsrelay.world.LocalWorld;
import org.stsrelay.world.MxOptions;
import org.stsrelay.world.ReceivedMessage;
import org.stsrelay.world.RelayConfigFile;
import org.stsrelay.world.RelayJar;
import org.stsrelay.world.RelayProcess;
import org.stsrelay.world.SmtpTestClient;
import org.stsrelay.world.WorldCertificates;

/**
 * The delivery side of RFC 8460: a testing-mode domain with a broken MX gets today's report by mail
 * (DKIM-signed, RFC 8460 §5.3 MIME) and by https POST (§5.4), a failing https rua is left retrying, and
 * the report mail passes the rua domain's failing enforce policy and records no TLS result of its own. The retry itself is not awaited: the
 * relay runs retries only for yesterday and the two days before, so a report of today sent by
 * {@code report send} is not retried until after midnight UTC.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TlsRptDeliveryIT {

    private static final String SENDER = "sender@client.test";
    private static final String CONTACT = "tlsrpt@relay.test";
    private static final String FROM = "tlsrpt-reports@relay.test";
    private static final String RUA_MAILBOX = "tlsrpt@reports.test";
    /** The https rua host: a name only the world's DNS knows, so the relay must resolve it through dns.servers. */
    private static final String RUA_HOST = "rua.reports.test";

    private static final int MESSAGES = 2;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static LocalWorld world;
    private static RelayJar jar;
    private static RelayConfigFile config;
    private static RelayProcess relay;
    private static HttpsReportReceiver https;
    private static KeyPair dkimKeys;
    private static final List<ReceivedMessage> REPORT_MAIL = new CopyOnWriteArrayList<>();
    private static String today;

    @BeforeAll
    static void sendTodaysReport() throws Exception {
        world = LocalWorld.start(dir);
        world.mx("mx.alpha.test", MxOptions.tls(CertificateKind.WRONG_HOST));
        world.routes("alpha.test", "mx.alpha.test");
        world.publishPolicy("alpha.test", "1", "testing", List.of("mx.alpha.test"));

        // The rua's own domain enforces MTA-STS and its MX certificate expired: RFC 8460 §5.3.1, reports go anyway.
        world.mx("mx.reports.test", MxOptions.tls(CertificateKind.EXPIRED), REPORT_MAIL::add);
        world.routes("reports.test", "mx.reports.test");
        world.publishPolicy("reports.test", "1", "enforce", List.of("mx.reports.test"));

        https = HttpsReportReceiver.start(
                new InetSocketAddress("127.0.0.1", 0),
                WorldCertificates.serverContext(world.trustedIdentity(RUA_HOST)),
                "/tlsrpt");
        world.dns().a(RUA_HOST, java.net.InetAddress.getByName("127.0.0.1"));
        world.dns()
                .txt(
                        "_smtp._tls.alpha.test",
                        "v=TLSRPTv1; rua=mailto:" + RUA_MAILBOX + ",https://" + RUA_HOST + ":" + https.port()
                                + "/tlsrpt");

        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        dkimKeys = generator.generateKeyPair();
        Path key = dir.resolve("dkim.pem");
        Files.writeString(
                key,
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(dkimKeys.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");

        jar = RelayJar.located();
        config = RelayConfigFile.write(
                dir,
                1000,
                100,
                world.relayYaml(dir.resolve("policies"), "published", Duration.ofSeconds(1), Duration.ofSeconds(60))
                        + """
                        tlsrpt:
                          enabled: true
                          directory: "%s"
                          organization-name: "sts-relay e2e"
                          contact-info: "%s"
                          from: "%s"
                          dkim:
                            domain: relay.test
                            selector: tlsrpt
                            private-key: "%s"
                        """.formatted(dir.resolve("tlsrpt"), CONTACT, FROM, key));
        relay = RelayProcess.start(jar, config, dir.resolve("relay.log"));
        try (SmtpTestClient client = SmtpTestClient.connect(config.smtpAddress())) {
            client.ehlo("client.test");
            for (int i = 1; i <= MESSAGES; i++) {
                String recipient = "r" + i + "@alpha.test";
                byte[] content = ("From: <" + SENDER + ">\r\nTo: <" + recipient + ">\r\nSubject: to " + recipient
                                + "\r\n\r\nbody\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                client.send("MAIL FROM:<" + SENDER + ">", List.of("RCPT TO:<" + recipient + ">"), content);
                // One after the other, so the second message reuses the first one's connection: one session.
                long delivered = i;
                await(
                        WAIT,
                        () -> attempts("alpha.test").stream()
                                        .filter(a -> a.outcome().equals("delivered"))
                                        .count()
                                == delivered,
                        () -> "attempts to alpha.test: " + attempts("alpha.test"));
            }
        }

        today = LocalDate.now(ZoneOffset.UTC).toString();
        CliResult send = cli("send", "--day", today, "--domain", "alpha.test");
        assertThat(send.exitCode()).as(send.describe()).isZero();
        await(
                WAIT,
                () -> REPORT_MAIL.size() >= 1 && !https.posts().isEmpty(),
                () -> "report mail " + REPORT_MAIL.size() + ", https posts "
                        + https.posts().size());
    }

    @AfterAll
    static void stop() {
        if (relay != null) {
            relay.close();
        }
        if (https != null) {
            https.close();
        }
        if (world != null) {
            world.close();
        }
    }

    @Test
    @DisplayName("RFC 8460 §5.3: one report mail with the required headers and the gzipped JSON attached")
    void reportMail() throws IOException {
        assertThat(REPORT_MAIL).hasSize(1);
        ReceivedMessage mail = REPORT_MAIL.get(0);
        assertThat(mail.recipients()).containsExactly(RUA_MAILBOX);
        DkimVerifier.Parsed parsed = DkimVerifier.parse(mail.text());
        assertThat(parsed.value("From")).isEqualTo(FROM);
        assertThat(parsed.value("To")).isEqualTo(RUA_MAILBOX);
        assertThat(parsed.value("TLS-Report-Domain")).isEqualTo("alpha.test");
        assertThat(parsed.value("TLS-Report-Submitter")).isEqualTo("relay.test");
        assertThat(parsed.value("Subject"))
                .matches("Report Domain: alpha\\.test Submitter: relay\\.test Report-ID: <[^<>\\s]+>");
        String contentType = parsed.value("Content-Type");
        assertThat(contentType).matches("(?s)multipart/report;\\s*report-type=\"tlsrpt\";.*");

        Map<String, String> part = reportPart(parsed.body(), boundary(contentType));
        long start = LocalDate.parse(today).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        assertThat(part.get("content-disposition"))
                .contains("filename=\"relay.test!alpha.test!" + start + "!" + (start + 86_399) + ".json.gz\"");
        JsonNode report = JSON.readTree(gunzip(Base64.getMimeDecoder().decode(part.get("body"))));
        assertThat(report.at("/policies/0/policy/policy-domain").asText()).isEqualTo("alpha.test");
        // RFC 8460 §4.3: the messages went over one connection, one failed TLS session.
        assertThat(report.at("/policies/0/summary/total-failure-session-count").asInt())
                .isEqualTo(1);
        assertThat(parsed.value("Subject"))
                .endsWith("<" + report.get("report-id").asText() + ">");
    }

    @Test
    @DisplayName("RFC 8460 §3 / RFC 6376: the report mail's DKIM signature verifies with the public key")
    void dkimSignatureVerifies() throws Exception {
        assertThat(REPORT_MAIL).hasSize(1);
        String text = REPORT_MAIL.get(0).text();
        DkimVerifier.Parsed parsed = DkimVerifier.parse(text);
        Map<String, String> tags =
                DkimVerifier.tags(parsed.all("DKIM-Signature").get(0).rawValue());
        assertThat(tags)
                .containsEntry("a", "rsa-sha256")
                .containsEntry("c", "relaxed/relaxed")
                .containsEntry("d", "relay.test")
                .containsEntry("s", "tlsrpt")
                .doesNotContainKey("l");
        assertThat(List.of(tags.get("h").toLowerCase().split(":"))).contains("from");
        DkimVerifier.verify(text, dkimKeys.getPublic());
        // relaxed/relaxed: whitespace runs inside a signed header do not break the signature ...
        DkimVerifier.verify(text.replace("Subject: Report Domain:", "Subject: Report  Domain:"), dkimKeys.getPublic());
        // ... but the verifier must be able to fail: one changed body character, one changed signed header.
        assertThatThrownBy(() ->
                        DkimVerifier.verify(text.replace("in MIME format", "in MIME f0rmat"), dkimKeys.getPublic()))
                .hasMessageContaining("body hash mismatch");
        assertThatThrownBy(() -> DkimVerifier.verify(
                        text.replace("Subject: Report Domain:", "Subject: Rep0rt Domain:"), dkimKeys.getPublic()))
                .hasMessageContaining("b= does not verify");
    }

    @Test
    @DisplayName("RFC 8460 §5.4/§5.5: the https rua gets the same gzipped JSON; after its 500 the retry delivers it")
    void httpsPostAndRetryState() throws IOException {
        List<HttpsReportReceiver.Post> posts = https.posts();
        assertThat(posts)
                .as("one POST so far (the relay's first retry is a minute away)")
                .hasSize(1);
        HttpsReportReceiver.Post post = posts.get(0);
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.path()).isEqualTo("/tlsrpt");
        assertThat(post.contentType()).isEqualTo("application/tlsrpt+gzip");
        DkimVerifier.Parsed mail = DkimVerifier.parse(REPORT_MAIL.get(0).text());
        Map<String, String> part = reportPart(mail.body(), boundary(mail.value("Content-Type")));
        assertThat(JSON.readTree(gunzip(post.body())))
                .isEqualTo(JSON.readTree(gunzip(Base64.getMimeDecoder().decode(part.get("body")))));

        // The 500 must leave the destination retrying, first retry 1 minute later (README "TLS-RPT reports").
        CliResult status = cli("status", "--day", today);
        assertThat(status.exitCode()).as(status.describe()).isZero();
        String rua = "https://" + RUA_HOST + ":" + https.port() + "/tlsrpt";
        List<String> lines =
                status.stdoutText().lines().filter(line -> line.contains(rua)).toList();
        assertThat(lines).as(status.stdoutText()).hasSize(1);
        Matcher m = Pattern.compile("retrying\\s+attempts 1\\s+next (\\S+)\\s+last error: .*500.*")
                .matcher(lines.get(0));
        assertThat(m.find()).as(lines.get(0)).isTrue();
        assertThat(Duration.between(post.at(), Instant.parse(m.group(1))))
                .isBetween(Duration.ofSeconds(55), Duration.ofSeconds(65));

        // The relay retries on its own a minute later (scheduler ticks every 5 s); the receiver now says 200.
        Await.until(
                Duration.ofSeconds(90),
                () -> https.posts().size() >= 2,
                () -> "no retry POST arrived: " + https.posts().size() + " POST(s)");
        assertThat(https.posts()).hasSize(2);
        assertThat(https.posts().get(1).body()).isEqualTo(post.body());
        Await.until(
                Duration.ofSeconds(15),
                () -> cli("status", "--day", today)
                        .stdoutText()
                        .lines()
                        .anyMatch(line -> line.contains(rua) && line.contains("delivered")),
                () -> "the destination never showed delivered: "
                        + cli("status", "--day", today).stdoutText());
    }

    @Test
    @DisplayName("RFC 8460 §3, §5.3.1: the report mail passes the rua domain's failing enforce policy, and its"
            + " delivery records no TLS result of its own")
    void reportDeliveryIsNotReported() {
        // The mail to reports.test has gone out (see the @BeforeAll); its attempt line is in the log.
        assertThat(attempts("reports.test"))
                .as("the report mail's delivery")
                .singleElement()
                .satisfies(a -> {
                    assertThat(a.result()).isEqualTo("certificate-expired");
                    assertThat(a.outcome()).isEqualTo("delivered");
                    assertThat(a.overTls()).isTrue();
                });
        CliResult status = cli("status", "--day", today);
        assertThat(status.exitCode()).as(status.describe()).isZero();
        List<String> domains = status.stdoutText()
                .lines()
                .skip(1)
                .takeWhile(line -> !line.isBlank())
                .map(line -> line.trim().split("\\s+")[0])
                .toList();
        assertThat(domains).containsExactly("alpha.test");
    }

    /** The boundary parameter of a multipart Content-Type. */
    private static String boundary(String contentType) {
        Matcher m = Pattern.compile("boundary=\"([^\"]+)\"").matcher(contentType);
        assertThat(m.find()).as(contentType).isTrue();
        return m.group(1);
    }

    /** The application/tlsrpt+gzip part: its lowercased, unfolded headers and its body under "body". */
    private static Map<String, String> reportPart(String body, String boundary) {
        String[] parts = body.split(Pattern.quote("\r\n--" + boundary));
        List<String> gzipParts = Arrays.stream(parts)
                .filter(p -> p.startsWith("\r\n") && p.contains("\r\n\r\n"))
                .map(p -> p.substring(2))
                .filter(p -> DkimVerifier.parse(p).value("Content-Type").equals("application/tlsrpt+gzip"))
                .toList();
        assertThat(gzipParts).as("application/tlsrpt+gzip parts").hasSize(1);
        DkimVerifier.Parsed part = DkimVerifier.parse(gzipParts.get(0));
        assertThat(part.value("Content-Transfer-Encoding")).isEqualToIgnoringCase("base64");
        return Map.of("content-disposition", part.value("Content-Disposition"), "body", part.body());
    }

    private static byte[] gunzip(byte[] gzip) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CliResult cli(String... args) {
        String[] full = new String[args.length + 3];
        full[0] = "report";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--config";
        full[args.length + 2] = config.file().toString();
        return jar.run(dir, Duration.ofSeconds(60), full);
    }

    private static void await(Duration timeout, BooleanSupplier condition, Supplier<String> whyNot) {
        try {
            Await.until(timeout, condition, whyNot);
        } catch (AssertionError e) {
            throw relay.annotate(e);
        }
    }

    private static List<DeliveryAttempt> attempts(String domain) {
        return DeliveryAttempt.all(relay.logLines()).stream()
                .filter(a -> a.domain().equals(domain))
                .toList();
    }
}
