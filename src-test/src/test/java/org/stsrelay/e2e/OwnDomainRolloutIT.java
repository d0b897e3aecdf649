package org.stsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.world.Await;
import org.stsrelay.world.CertificateKind;
import org.stsrelay.world.CliResult;
import org.stsrelay.world.DeliveryAttempt;
import org.stsrelay.world.HeadlessChromium;
import org.stsrelay.world.LocalWorld;
import org.stsrelay.world.MxOptions;
import org.stsrelay.world.ReceivedMessage;
import org.stsrelay.world.RelayConfigFile;
import org.stsrelay.world.RelayJar;
import org.stsrelay.world.RelayProcess;
import org.stsrelay.world.SmtpTestClient;

/**
 * The rollout of a domain the organisation owns, end to end: {@code domain plan} writes the records and the testing
 * policy, the relay's owner site serves that policy (to the relay's own policy fetcher too), the relay's delivery
 * sends its TLS-RPT report to the domain's rua, {@code received import} stores it with its DKIM verdict, and two
 * weeks of reports from two more organisations make {@code received summary} and the {@code /reports} page (seen in a
 * real browser) say "ready for enforce". Each step is one test, in order; the relay runs once for the class.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OwnDomainRolloutIT {

    private static final String DOMAIN = "owned.test";
    private static final String MX = "mx.owned.test";
    private static final String POLICY_HOST = "mta-sts." + DOMAIN;
    private static final String RUA = "tlsrpt@" + DOMAIN;
    private static final String SENDER = "sender@client.test";
    private static final String RELAY_ORG = "sts-relay rollout";
    private static final String DKIM_SELECTOR = "tlsrpt";
    private static final String GOOGLE = "Google Inc.";
    private static final String MICROSOFT = "Microsoft Corporation";
    /** Days before today that other organisations report: with today's report of the relay, ready-days (14). */
    private static final int EARLIER_DAYS = 13;

    private static final int MESSAGES = 2;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static LocalWorld world;
    private static RelayJar jar;
    private static RelayConfigFile config;
    private static RelayProcess relay;
    private static OwnerSiteClient ownerSite;
    private static Path domainDirectory;
    private static Path receivedDirectory;
    private static CliResult plan;
    private static JsonNode planJson;
    private static LocalDate today;
    private static final List<ReceivedMessage> AT_MX = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void publishAndStart() throws Exception {
        world = LocalWorld.start(dir);
        world.mx(MX, MxOptions.tls(CertificateKind.GOOD), AT_MX::add);
        world.routes(DOMAIN, MX);

        // The owner site listens where mta-sts.owned.test points, on the port this world's senders fetch from.
        InetAddress ownerAddress = world.freeAddress();
        world.dns().a(POLICY_HOST, ownerAddress);
        Path domains = dir.resolve("domains");
        domainDirectory = Files.createDirectories(domains.resolve(DOMAIN));
        world.writeTrustedIdentity(
                POLICY_HOST, domainDirectory.resolve("cert.pem"), domainDirectory.resolve("key.pem"));
        receivedDirectory = dir.resolve("received");

        jar = RelayJar.located();
        config = RelayConfigFile.write(
                dir,
                1000,
                100,
                world.relayYaml(dir.resolve("policies"), "published", Duration.ofSeconds(1), Duration.ofSeconds(60))
                        + ownerSections(ownerAddress, domains, dkimKey()));

        today = LocalDate.now(ZoneOffset.UTC);
        plan = cli("domain", "plan", DOMAIN, "--mode", "testing", "--rua", "mailto:" + RUA, "--json");
        planJson = JSON.readTree(plan.stdout());
        Files.writeString(domainDirectory.resolve("mta-sts.txt"), policyText(), StandardCharsets.UTF_8);
        // Published exactly as the plan printed them (the JSON value is the record's text, without zone quoting).
        world.dns()
                .txt(
                        "_smtp._tls." + DOMAIN,
                        planJson.at("/records/tls_rpt/value").asText());
        world.dns()
                .txt("_mta-sts." + DOMAIN, planJson.at("/records/mta_sts/value").asText());

        relay = RelayProcess.start(jar, config, dir.resolve("relay.log"));
        ownerSite = OwnerSiteClient.to(POLICY_HOST, ownerAddress, world.fetchPort(), world.caFile());
    }

    @AfterAll
    static void stop() {
        if (relay != null) {
            relay.close();
        }
        if (world != null) {
            world.close();
        }
    }

    @Test
    @Order(1)
    @DisplayName(
            "RFC 8461 §3.1, §3.2 / RFC 8460 §3: domain plan prints a testing policy for the MX and both TXT records")
    void plansTheRecords() {
        assertThat(plan.exitCode()).as(plan.describe()).isZero();
        assertThat(planJson.get("mode").asText()).isEqualTo("testing");
        assertThat(policyText().split("\r\n")).contains("version: STSv1", "mode: testing", "mx: " + MX);
        assertThat(planJson.at("/records/tls_rpt/value").asText()).isEqualTo("v=TLSRPTv1; rua=mailto:" + RUA);
        assertThat(planJson.at("/records/mta_sts/value").asText())
                .matches("v=STSv1; id=" + planJson.get("id").asText() + ";?");
    }

    @Test
    @Order(2)
    @DisplayName("RFC 8461 §3.2, §3.3: the owner site serves the planned policy byte for byte, text/plain, over"
            + " validated TLS")
    void hostsThePolicy() throws IOException {
        OwnerSiteClient.Response response = ownerSite.get("/.well-known/mta-sts.txt");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("text/plain");
        assertThat(response.body()).isEqualTo(policyText().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @Order(3)
    @DisplayName("RFC 8461 §5 / RFC 8460 §5.3: delivery applies the hosted testing policy, and the day's report is"
            + " mailed to the planned rua")
    void deliverySendsItsReport() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.connect(config.smtpAddress())) {
            client.ehlo("client.test");
            for (int i = 1; i <= MESSAGES; i++) {
                String recipient = "user" + i + "@" + DOMAIN;
                byte[] content = ("From: <" + SENDER + ">\r\nTo: <" + recipient + ">\r\nSubject: to " + recipient
                                + "\r\n\r\nbody\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                client.send("MAIL FROM:<" + SENDER + ">", List.of("RCPT TO:<" + recipient + ">"), content);
            }
        }
        await(() -> delivered().size() >= MESSAGES, () -> "attempts: " + attempts());
        assertThat(delivered()).allSatisfy(a -> {
            assertThat(a.mx()).isEqualTo(MX);
            assertThat(a.mode()).isEqualTo("testing");
            assertThat(a.result()).isEqualTo("success");
            assertThat(a.overTls()).isTrue();
        });

        CliResult send = cli("report", "send", "--day", today.toString(), "--domain", DOMAIN);
        assertThat(send.exitCode()).as(send.describe()).isZero();
        await(() -> !reportMail().isEmpty(), () -> "mail at " + MX + ": " + AT_MX.size());
        assertThat(reportMail()).singleElement().satisfies(mail -> {
            assertThat(mail.overTls()).isTrue();
            assertThat(mail.text()).contains("TLS-Report-Domain: " + DOMAIN);
        });
    }

    @Test
    @Order(4)
    @DisplayName("RFC 8460 §3, §4.4: received import stores the mailed report once, with its DKIM signature passed")
    void importsTheMailedReport() throws IOException {
        Path eml = dir.resolve("report.eml");
        Files.write(eml, reportMail().get(0).content());
        CliResult first = cli("received", "import", eml.toString());
        assertThat(first.exitCode()).as(first.describe()).isZero();
        assertThat(first.stdoutText()).contains("stored").contains("1 stored, 0 duplicate, 0 refused");

        List<JsonNode> mailed = storedReports().stream()
                .filter(r -> r.get("origin").asText().equalsIgnoreCase("mail"))
                .toList();
        assertThat(mailed).singleElement().satisfies(stored -> {
            assertThat(stored.at("/dkim/status").asText()).isEqualTo("PASS");
            assertThat(stored.at("/dkim/detail").asText()).contains("relay.test");
            assertThat(stored.get("submitter").asText()).isEqualTo("relay.test");
        });

        CliResult again = cli("received", "import", eml.toString());
        assertThat(again.exitCode()).as(again.describe()).isZero();
        assertThat(again.stdoutText()).contains("duplicate").contains("0 stored, 1 duplicate, 0 refused");
    }

    @Test
    @Order(5)
    @DisplayName("RFC 8460 §4.4: one day of reports from one organisation is not ready for enforce")
    void oneDayIsNotReady() throws IOException {
        CliResult summary = summaryJson();
        assertThat(summary.exitCode()).as(summary.describe()).isEqualTo(1);
        JsonNode verdict = ownedDomain(summary).get("verdict");
        assertThat(verdict.get("ready").asBoolean()).isFalse();
        assertThat(verdict.get("verdict").asText()).isEqualTo("not ready for enforce");
        assertThat(verdict.get("testing-days").asInt()).isEqualTo(1);
        assertThat(verdict.get("required-days").asInt()).isEqualTo(14);
        assertThat(verdict.get("organizations").asInt()).isEqualTo(1);
        assertThat(verdict.get("required-organizations").asInt()).isEqualTo(2);
        assertThat(texts(verdict.get("blockers")))
                .contains(
                        "too few days of reports in testing: 1 of 14",
                        "too few organisations reporting testing: 1 of 2");
    }

    @Test
    @Order(6)
    @DisplayName("RFC 8460 §4.4: two weeks of testing reports from two more organisations make it ready for enforce")
    void twoWeeksAreReady() throws IOException {
        Path simulated = Files.createDirectories(dir.resolve("simulated"));
        for (int back = 1; back <= EARLIER_DAYS; back++) {
            LocalDate day = today.minusDays(back);
            writeReport(simulated, day, googleStyle(day), back % 2 == 0);
            writeReport(simulated, day, microsoftStyle(day), back % 2 == 1);
        }
        CliResult imported = cli("received", "import", simulated.toString());
        assertThat(imported.exitCode()).as(imported.describe()).isZero();
        assertThat(imported.stdoutText()).contains((2 * EARLIER_DAYS) + " stored, 0 duplicate, 0 refused");

        CliResult summary = summaryJson();
        assertThat(summary.exitCode()).as(summary.describe()).isZero();
        JsonNode domain = ownedDomain(summary);
        JsonNode verdict = domain.get("verdict");
        assertThat(verdict.get("ready").asBoolean()).isTrue();
        assertThat(verdict.get("verdict").asText()).isEqualTo("ready for enforce");
        assertThat(verdict.get("testing-days").asInt()).isEqualTo(14);
        assertThat(verdict.get("organizations").asInt()).isEqualTo(3);
        assertThat(texts(verdict.get("blockers"))).isEmpty();
        assertThat(domain.get("reports").asInt()).isEqualTo(1 + 2 * EARLIER_DAYS);
        assertThat(domain.get("failures")).isEmpty();
        assertThat(domain.get("stale-senders")).isEmpty();

        CliResult text = cli("received", "summary", "--domain", DOMAIN);
        assertThat(text.exitCode()).as(text.describe()).isZero();
        assertThat(text.stdoutText()).contains("ready for enforce").doesNotContain("not ready");
    }

    @Test
    @Order(7)
    @DisplayName("RFC 8460 §4.4: the /reports page, drawn by Chromium, shows the verdict, the counts and one chart"
            + " group per day")
    void reportsPageInABrowser() throws IOException {
        HeadlessChromium chromium = HeadlessChromium.in(Files.createDirectories(dir.resolve("chromium")));
        URI page = config.metricsBase().resolve("/reports?domain=" + DOMAIN + "&days=14");
        String dom = chromium.dumpDom(page);

        assertThat(dom).contains("<p class=\"verdict ready\" data-domain=\"" + DOMAIN + "\">ready for enforce</p>");
        LocalDate day = today.minusDays(3);
        assertThat(cell(dom, day, GOOGLE, "success")).isEqualTo(googleSuccesses(day));
        assertThat(cell(dom, day, MICROSOFT, "success")).isEqualTo(microsoftSuccesses(day));
        assertThat(cell(dom, day, GOOGLE, "failure")).isZero();
        assertThat(dom).contains("<svg").contains("class=\"chart\" data-domain=\"" + DOMAIN + "\"");
        assertThat(count(dom, "<g class=\"day\" data-day=\"")).isEqualTo(14);
        assertThat(dom).contains("<g class=\"day\" data-day=\"" + today + "\"");

        Path screenshot = Files.createDirectories(Path.of("target")).resolve("reports-page.png");
        chromium.screenshot(page, screenshot, 1200, 900);
        byte[] png = Files.readAllBytes(screenshot);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    @Order(8)
    @DisplayName("RFC 8460 §5.4: a gzipped report POSTed to the owner site's /tlsrpt is stored and counted")
    void postedReportIsCounted() throws IOException {
        LocalDate day = today.minusDays(1);
        ObjectNode report = report("Example Mail", "tlsrpt@mail.example", "posted-" + day, day, 7);
        OwnerSiteClient.Response response =
                ownerSite.post("/tlsrpt", "application/tlsrpt+gzip", gzip(JSON.writeValueAsBytes(report)));
        assertThat(response.status())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);

        CliResult summary = summaryJson();
        assertThat(summary.exitCode()).as(summary.describe()).isZero();
        JsonNode domain = ownedDomain(summary);
        assertThat(domain.get("reports").asInt()).isEqualTo(2 + 2 * EARLIER_DAYS);
        assertThat(domain.get("verdict").get("organizations").asInt()).isEqualTo(4);
        List<JsonNode> rows = new ArrayList<>();
        domain.get("days").forEach(rows::add);
        assertThat(rows)
                .filteredOn(r -> r.get("organization").asText().equals("Example Mail"))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.get("day").asText()).isEqualTo(day.toString());
                    assertThat(r.get("successful").asLong()).isEqualTo(7);
                });
    }

    private static String ownerSections(InetAddress ownerAddress, Path domains, Path dkimKey) {
        return """
                owner-site:
                  listen: "%s:%d"
                  domains-directory: "%s"
                received:
                  directory: "%s"
                tlsrpt:
                  enabled: true
                  directory: "%s"
                  organization-name: "%s"
                  contact-info: "tlsrpt@relay.test"
                  from: "tlsrpt-reports@relay.test"
                  dkim:
                    domain: relay.test
                    selector: %s
                    private-key: "%s"
                """.formatted(
                        ownerAddress.getHostAddress(),
                        world.fetchPort(),
                        domains,
                        receivedDirectory,
                        dir.resolve("tlsrpt"),
                        RELAY_ORG,
                        DKIM_SELECTOR,
                        dkimKey);
    }

    /** Writes a new signing key and publishes its public half where DKIM verifiers look (RFC 6376 §3.6.2.1). */
    private static Path dkimKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Path key = dir.resolve("dkim.pem");
        Files.writeString(
                key,
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(keys.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
        String record = "v=DKIM1; k=rsa; p="
                + Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
        // A 2048-bit key does not fit one 255-byte character-string.
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < record.length(); i += 200) {
            strings.add(record.substring(i, Math.min(record.length(), i + 200)));
        }
        world.dns().txt(DKIM_SELECTOR + "._domainkey.relay.test", strings);
        return key;
    }

    private static String policyText() {
        return planJson.at("/policy/text").asText();
    }

    private static List<String> policyLines() {
        return policyText().lines().filter(line -> !line.isBlank()).toList();
    }

    // Other organisations' reports (RFC 8460 §4.4), in the shapes those senders ship.
    private static long googleSuccesses(LocalDate day) {
        return 100 + day.getDayOfMonth();
    }

    private static long microsoftSuccesses(LocalDate day) {
        return 40 + day.getDayOfMonth();
    }

    private static ObjectNode googleStyle(LocalDate day) {
        ObjectNode report = report(
                GOOGLE, "smtp-tls-reporting@google.com", day + "T00:00:00Z_" + DOMAIN, day, googleSuccesses(day));
        ((ObjectNode) report.at("/policies/0")).putArray("failure-details");
        return report;
    }

    // Microsoft's shape: a numeric report-id, the period ending at the next midnight, no failure-details when none.
    private static ObjectNode microsoftStyle(LocalDate day) {
        ObjectNode report = report(
                MICROSOFT,
                "tlsrpt-noreply@microsoft.com",
                (133_000_000_000_000_000L + day.toEpochDay()) + "+" + DOMAIN,
                day,
                microsoftSuccesses(day));
        ((ObjectNode) report.get("date-range"))
                .put("end-datetime", day.plusDays(1).atStartOfDay() + ":00Z");
        return report;
    }

    /** A report of successes only, applying the planned policy: policy-type sts, its lines, the MX (RFC 8460 §4.4). */
    private static ObjectNode report(String organisation, String contact, String reportId, LocalDate day, long ok) {
        ObjectNode report = JSON.createObjectNode()
                .put("organization-name", organisation)
                .put("contact-info", contact)
                .put("report-id", reportId);
        report.putObject("date-range")
                .put("start-datetime", day + "T00:00:00Z")
                .put("end-datetime", day + "T23:59:59Z");
        ObjectNode entry = report.putArray("policies").addObject();
        ObjectNode policy = entry.putObject("policy").put("policy-type", "sts");
        ArrayNode strings = policy.putArray("policy-string");
        policyLines().forEach(strings::add);
        policy.put("policy-domain", DOMAIN);
        policy.putArray("mx-host").add(MX);
        entry.putObject("summary").put("total-successful-session-count", ok).put("total-failure-session-count", 0);
        return report;
    }

    private static void writeReport(Path directory, LocalDate day, ObjectNode report, boolean gzipped)
            throws IOException {
        String name = report.get("organization-name").asText().replace(' ', '-') + "!" + DOMAIN + "!" + day;
        byte[] json = JSON.writeValueAsBytes(report);
        if (gzipped) {
            Files.write(directory.resolve(name + ".json.gz"), gzip(json));
        } else {
            Files.write(directory.resolve(name + ".json"), json);
        }
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static CliResult cli(String... args) {
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--config";
        full[args.length + 1] = config.file().toString();
        return jar.run(dir, WAIT, full);
    }

    private static CliResult summaryJson() {
        return cli("received", "summary", "--domain", DOMAIN, "--json");
    }

    private static JsonNode ownedDomain(CliResult summary) throws IOException {
        JsonNode domains = JSON.readTree(summary.stdout()).get("domains");
        assertThat(domains).as(summary.describe()).hasSize(1);
        assertThat(domains.get(0).get("domain").asText()).isEqualTo(DOMAIN);
        return domains.get(0);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    /** Every report file in received.directory, as stored (one per report, under its UTC day). */
    private static List<JsonNode> storedReports() throws IOException {
        try (Stream<Path> files = Files.walk(receivedDirectory)) {
            List<JsonNode> stored = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                stored.add(JSON.readTree(file.toFile()));
            }
            return stored;
        }
    }

    private static List<ReceivedMessage> reportMail() {
        return AT_MX.stream().filter(m -> m.recipients().contains(RUA)).toList();
    }

    private static List<DeliveryAttempt> attempts() {
        return DeliveryAttempt.all(relay.logLines()).stream()
                .filter(a -> a.domain().equals(DOMAIN))
                .toList();
    }

    private static List<DeliveryAttempt> delivered() {
        return attempts().stream().filter(a -> a.outcome().equals("delivered")).toList();
    }

    private static void await(BooleanSupplier condition, Supplier<String> why) {
        try {
            Await.until(WAIT, condition, why);
        } catch (AssertionError e) {
            throw relay.annotate(e);
        }
    }

    /** The number in the day table's cell for {@code day}, {@code organisation} and {@code kind}. */
    private static long cell(String dom, LocalDate day, String organisation, String kind) {
        Matcher m = Pattern.compile("<td class=\"n\" data-day=\"" + day + "\" data-org=\"" + Pattern.quote(organisation)
                        + "\" data-kind=\"" + kind + "\">(\\d+)</td>")
                .matcher(dom);
        assertThat(m.find()).as("cell %s %s %s", day, organisation, kind).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
