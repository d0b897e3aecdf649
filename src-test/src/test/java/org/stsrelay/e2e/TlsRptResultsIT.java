package org.stsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
import org.stsrelay.world.MxServer;
import org.stsrelay.world.RelayConfigFile;
import org.stsrelay.world.RelayJar;
import org.stsrelay.world.RelayProcess;
import org.stsrelay.world.SmtpTestClient;

/**
 * A day of deliveries in the local world, then the RFC 8460 report each policy domain would get,
 * compared field for field with what the test caused. Counts are deterministic because no attempt
 * is ever retried (the enforce domain always ends at a good MX after refusing the bad ones, RFC 8461
 * §5 fallback; the testing domain delivers despite its failures) and because each message is sent
 * only after the one before it was delivered, so an MX that accepted a message keeps one connection
 * open for the next: the reports count TLS sessions, not messages (RFC 8460 §4.3).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TlsRptResultsIT {

    private static final String SENDER = "sender@client.test";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ORGANIZATION = "sts-relay e2e";
    private static final String CONTACT = "tlsrpt@relay.test";
    /** alpha.test, enforce: expired, self-signed, not in the policy, no STARTTLS, then a good MX. */
    private static final int ALPHA_MESSAGES = 3;
    /** beta.test, testing: its one MX presents a certificate for another name. */
    private static final int BETA_MESSAGES = 2;
    /** open.test, no policy: all its messages go over one reused connection. */
    private static final int OPEN_MESSAGES = 5;

    private static final int FETCH_MESSAGES = 2;
    /** gamma.test and delta.test, no policy, share one MX: each message alternates between them. */
    private static final int SHARED_MESSAGES = 2;

    @TempDir
    static Path dir;

    private static LocalWorld world;
    private static RelayJar jar;
    private static RelayConfigFile config;
    private static RelayProcess relay;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ADDRESSES = new ConcurrentHashMap<>();
    private static MxServer openMx;
    private static MxServer sharedMx;

    @BeforeAll
    static void aDayOfDeliveries() throws IOException {
        world = LocalWorld.start(dir);
        mx("mx1.alpha.test", MxOptions.tls(CertificateKind.EXPIRED));
        mx("mx2.alpha.test", MxOptions.tls(CertificateKind.SELF_SIGNED));
        world.mx("mx.unlisted-alpha.test", MxOptions.tls(CertificateKind.GOOD));
        mx("mx3.alpha.test", MxOptions.plaintextOnly());
        world.mx("mx4.alpha.test", MxOptions.tls(CertificateKind.GOOD));
        world.routes(
                "alpha.test",
                "mx1.alpha.test",
                "mx2.alpha.test",
                "mx.unlisted-alpha.test",
                "mx3.alpha.test",
                "mx4.alpha.test");
        world.publishPolicy("alpha.test", "1", "enforce", List.of("*.alpha.test"));

        mx("mx.beta.test", MxOptions.tls(CertificateKind.WRONG_HOST));
        world.routes("beta.test", "mx.beta.test");
        world.publishPolicy("beta.test", "7", "testing", List.of("mx.beta.test", "backup.beta.test"));

        openMx = world.mx("mx.open.test", MxOptions.tls(CertificateKind.GOOD));
        world.routes("open.test", "mx.open.test");

        sharedMx = world.mx("mx.shared.test", MxOptions.tls(CertificateKind.GOOD));
        world.routes("gamma.test", "mx.shared.test");
        world.routes("delta.test", "mx.shared.test");

        world.mx("mx.fetch.test", MxOptions.tls(CertificateKind.GOOD));
        world.routes("fetch.test", "mx.fetch.test");
        world.policyHostDown("fetch.test", "1");

        jar = RelayJar.located();
        config = RelayConfigFile.write(
                dir,
                1000,
                100,
                world.relayYaml(dir.resolve("policies"), "published", Duration.ofSeconds(1), Duration.ofSeconds(60))
                        + tlsrptYaml(dir.resolve("tlsrpt")));
        relay = RelayProcess.start(jar, config, dir.resolve("relay.log"));
        try (SmtpTestClient client = SmtpTestClient.connect(config.smtpAddress())) {
            client.ehlo("client.test");
            sendOneByOne(client, "alpha.test", ALPHA_MESSAGES);
            sendOneByOne(client, "beta.test", BETA_MESSAGES);
            sendOneByOne(client, "open.test", OPEN_MESSAGES);
            sendOneByOne(client, "fetch.test", FETCH_MESSAGES);
            for (int i = 1; i <= SHARED_MESSAGES; i++) {
                sendOne(client, "gamma.test", i);
                sendOne(client, "delta.test", i);
            }
        }
    }

    private static void mx(String host, MxOptions options) {
        ADDRESSES.put(host, world.mx(host, options).inetAddress().getHostAddress());
    }

    static String tlsrptYaml(Path directory) {
        return """
                tlsrpt:
                  enabled: true
                  directory: "%s"
                  organization-name: "%s"
                  contact-info: "%s"
                """.formatted(directory, ORGANIZATION, CONTACT);
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
    @DisplayName("RFC 8460 §4.4: enforce domain, one report line per refused MX and the good MX's one session")
    void enforceDomainReport() throws IOException {
        ObjectNode expected = report("alpha.test");
        ObjectNode policy = sts(expected, "alpha.test", "enforce", List.of("*.alpha.test"));
        // Every refused MX is a new connection per message; the good MX's connection carries all three.
        summary(policy, 1, 4 * ALPHA_MESSAGES);
        ArrayNode details = policy.putArray("failure-details");
        details.add(connected("certificate-expired", "mx1.alpha.test", ALPHA_MESSAGES));
        details.add(connected("certificate-not-trusted", "mx2.alpha.test", ALPHA_MESSAGES));
        // RFC 8461 §4.1: an MX outside the policy is refused before any connection, so no addresses or HELO.
        details.add(detail("validation-failure", ALPHA_MESSAGES, refusalReason("mx.unlisted-alpha.test"))
                .put("receiving-mx-hostname", "mx.unlisted-alpha.test"));
        details.add(connected("starttls-not-supported", "mx3.alpha.test", ALPHA_MESSAGES));
        assertReport("alpha.test", expected);
        assertThat(attempts("alpha.test"))
                .as("one attempt line per MX tried per message")
                .hasSize(5 * ALPHA_MESSAGES);
    }

    @Test
    @DisplayName("RFC 8460 §4.4: testing domain, the delivered-anyway session is one failure with its MX")
    void testingDomainReport() throws IOException {
        ObjectNode expected = report("beta.test");
        ObjectNode policy = sts(expected, "beta.test", "testing", List.of("mx.beta.test", "backup.beta.test"));
        summary(policy, 0, 1);
        policy.putArray("failure-details")
                .add(connected(
                        "certificate-host-mismatch",
                        "mx.beta.test",
                        1,
                        "the certificate is valid for [other-host.invalid], not mx.beta.test"));
        assertReport("beta.test", expected);
    }

    @Test
    @DisplayName("RFC 8460 §4.3: messages over one reused connection are one session in a no-policy-found report")
    void noPolicyDomainReport() throws IOException {
        assertThat(openMx.received()).as("messages at mx.open.test").hasSize(OPEN_MESSAGES);
        assertThat(openMx.connections()).as("TCP connections to mx.open.test").isEqualTo(1);
        ObjectNode expected = report("open.test");
        summary(noPolicy(expected, "open.test"), 1, 0).putArray("failure-details");
        assertReport("open.test", expected);
    }

    @Test
    @DisplayName("RFC 8460 §4.4: a connection shared by two recipient domains counts once in each domain's report")
    void sharedConnectionCountsOncePerPolicyDomain() throws IOException {
        assertThat(sharedMx.received()).as("messages at mx.shared.test").hasSize(2 * SHARED_MESSAGES);
        assertThat(sharedMx.connections())
                .as("TCP connections to mx.shared.test")
                .isEqualTo(1);
        for (String domain : List.of("gamma.test", "delta.test")) {
            ObjectNode expected = report(domain);
            summary(noPolicy(expected, domain), 1, 0).putArray("failure-details");
            assertReport(domain, expected);
        }
    }

    @Test
    @DisplayName(
            "RFC 8460 §4.3.2.2: with the policy host unreachable, the one session is an sts-policy-fetch-error only")
    void policyFetchErrorReport() throws IOException {
        ObjectNode expected = report("fetch.test");
        // One SMTP session counts once: a failure under no-policy-found, not also a success.
        ObjectNode policy = summary(noPolicy(expected, "fetch.test"), 0, 1);
        // No MX was involved in the lookup: only the type, the count and the reason (its tail is the JDK's text).
        String reasonPrefix = "the policy of fetch.test could not be fetched: could not connect to mta-sts.fetch.test";
        policy.putArray("failure-details").add(detail("sts-policy-fetch-error", 1, reasonPrefix));
        JsonNode actual = previewJson("fetch.test");
        JsonNode detail = actual.at("/policies/0/failure-details/0");
        assertThat(detail.path("failure-reason-code").asText()).startsWith(reasonPrefix);
        ((ObjectNode) detail).put("failure-reason-code", reasonPrefix);
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    @DisplayName("report status lists exactly the day's domains with their session counts")
    void statusOfAllDomains() {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        CliResult result = jar.run(
                dir,
                Duration.ofSeconds(60),
                "report",
                "status",
                "--day",
                today,
                "--config",
                config.file().toString());
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdoutText()
                        .lines()
                        .skip(1)
                        .map(l -> List.of(l.trim().split("\\s+")))
                        .toList())
                .containsExactly(
                        List.of("alpha.test", "1", "" + 4 * ALPHA_MESSAGES),
                        List.of("beta.test", "0", "1"),
                        List.of("delta.test", "1", "0"),
                        List.of("fetch.test", "0", "1"),
                        List.of("gamma.test", "1", "0"),
                        List.of("open.test", "1", "0"));
    }

    private static ObjectNode report(String domain) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        ObjectNode root = JSON.createObjectNode();
        root.put("organization-name", ORGANIZATION);
        root.putObject("date-range")
                .put("start-datetime", today + "T00:00:00Z")
                .put("end-datetime", today + "T23:59:59Z");
        root.put("contact-info", CONTACT);
        // Submitter: the domain of contact-info.
        root.put("report-id", today.toString().replace("-", "") + "." + domain + "@relay.test");
        root.putArray("policies");
        return root;
    }

    /** The policy entry of an STS policy: its lines exactly as LocalWorld#publishPolicy serves them. */
    private static ObjectNode sts(ObjectNode report, String domain, String mode, List<String> mx) {
        ObjectNode entry = ((ArrayNode) report.get("policies")).addObject();
        ObjectNode policy = entry.putObject("policy").put("policy-type", "sts");
        ArrayNode lines = policy.putArray("policy-string").add("version: STSv1").add("mode: " + mode);
        mx.forEach(m -> lines.add("mx: " + m));
        lines.add("max_age: 86400");
        policy.put("policy-domain", domain);
        mx.forEach(policy.putArray("mx-host")::add);
        return entry;
    }

    private static ObjectNode noPolicy(ObjectNode report, String domain) {
        ObjectNode entry = ((ArrayNode) report.get("policies")).addObject();
        ObjectNode policy = entry.putObject("policy").put("policy-type", "no-policy-found");
        policy.putArray("policy-string");
        policy.put("policy-domain", domain);
        policy.putArray("mx-host");
        return entry;
    }

    private static ObjectNode summary(ObjectNode entry, int successes, int failures) {
        entry.putObject("summary")
                .put("total-successful-session-count", successes)
                .put("total-failure-session-count", failures);
        return entry;
    }

    /** A failure at a connected MX; the reason is the one its refusal line logged. */
    private static ObjectNode connected(String type, String mx, int count) {
        return connected(type, mx, count, refusalReason(mx));
    }

    private static ObjectNode connected(String type, String mx, int count, String reason) {
        ObjectNode node = JSON.createObjectNode()
                .put("result-type", type)
                .put("sending-mta-ip", "127.0.0.1")
                .put("receiving-mx-hostname", mx)
                .put("receiving-mx-helo", mx)
                .put("receiving-ip", ADDRESSES.get(mx))
                .put("failed-session-count", count)
                .put("failure-reason-code", reason);
        return node;
    }

    private static ObjectNode detail(String type, int count, String reason) {
        return JSON.createObjectNode()
                .put("result-type", type)
                .put("failed-session-count", count)
                .put("failure-reason-code", reason);
    }

    /** The reason an enforce refusal of {@code mx} gave in its reply: "451 4.7.5 MTA-STS enforce: mx: reason". */
    private static String refusalReason(String mx) {
        String prefix = "451 4.7.5 MTA-STS enforce: " + mx + ": ";
        List<String> reasons = DeliveryAttempt.all(relay.logLines()).stream()
                .filter(a -> a.mx().equals(mx))
                .map(DeliveryAttempt::reply)
                .distinct()
                .toList();
        assertThat(reasons).as("refusals of %s", mx).singleElement().asString().startsWith(prefix);
        return reasons.get(0).substring(prefix.length());
    }

    private static void assertReport(String domain, ObjectNode expected) throws IOException {
        assertThat(previewJson(domain)).isEqualTo(expected);
    }

    /**
     * The preview of {@code domain}. failure-details come in journal order of first occurrence, which is
     * fixed here: every message tries alpha's MX in preference order.
     */
    private static JsonNode previewJson(String domain) throws IOException {
        CliResult result = preview(domain);
        JsonNode root = JSON.readTree(result.stdoutText());
        assertThat(root.toString())
                .as("no nulls or empty strings")
                .doesNotContain("null")
                .doesNotContain("\"\"");
        return root;
    }

    /** Sends {@code count} messages to {@code domain}, each once the one before it was delivered. */
    private static void sendOneByOne(SmtpTestClient client, String domain, int count) throws IOException {
        for (int i = 1; i <= count; i++) {
            sendOne(client, domain, i);
        }
    }

    /** Sends the {@code n}th message to {@code domain} and waits until it was delivered. */
    private static void sendOne(SmtpTestClient client, String domain, int n) throws IOException {
        String recipient = "r" + n + "@" + domain;
        byte[] content = ("From: <" + SENDER + ">\r\nTo: <" + recipient + ">\r\nSubject: to " + recipient
                        + "\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        client.send("MAIL FROM:<" + SENDER + ">", List.of("RCPT TO:<" + recipient + ">"), content);
        awaitDelivered(domain, n);
    }

    private static void awaitDelivered(String domain, int count) {
        try {
            Await.until(
                    WAIT,
                    () -> attempts(domain).stream()
                                    .filter(a -> a.outcome().equals("delivered"))
                                    .count()
                            == count,
                    () -> "attempts to " + domain + ": " + attempts(domain));
        } catch (AssertionError e) {
            throw relay.annotate(e);
        }
    }

    private static List<DeliveryAttempt> attempts(String domain) {
        return DeliveryAttempt.all(relay.logLines()).stream()
                .filter(a -> a.domain().equals(domain))
                .toList();
    }

    private static CliResult preview(String domain) {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        CliResult result = jar.run(
                dir,
                Duration.ofSeconds(60),
                "report",
                "preview",
                "--day",
                today,
                "--domain",
                domain,
                "--config",
                config.file().toString());
        assertThat(result.exitCode())
                .as("report preview: %s", result.describe())
                .isZero();
        return result;
    }
}
