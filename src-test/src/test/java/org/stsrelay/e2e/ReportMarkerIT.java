package org.stsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

/**
 * Header fields a client writes never make its message one of the relay's own TLS reports, and
 * {@code TLS-Required: No} is honoured or ignored as configured. Every domain publishes an
 * {@code enforce} policy and has one MX whose certificate expired, so an ordinary message is held
 * (4.7.5) and only a message allowed through policy failures arrives. Two relays share the world:
 * one with the defaults, one with {@code delivery.tls-required-header: ignore}. The retry schedule is
 * longer than the test, so each message is tried once.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReportMarkerIT {

    private static final String SENDER = "sender@client.test";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPTIONAL_DOMAIN = "optional.test";

    @TempDir
    static Path dir;

    private static LocalWorld world;
    private static RelayJar jar;
    private static Relay honoring;
    private static Relay ignoring;
    private static final Map<String, String> QUEUE_IDS = new ConcurrentHashMap<>();

    /** One relay of the test, with its configuration and the directory its CLI runs in. */
    private record Relay(RelayProcess process, RelayConfigFile config, Path directory) {}

    @BeforeAll
    static void startWorldAndRelays() throws IOException {
        world = LocalWorld.start(dir);
        for (String domain : List.of("report-header.test", "dsn-header.test", OPTIONAL_DOMAIN)) {
            world.mx("mx." + domain, MxOptions.tls(CertificateKind.EXPIRED));
            world.routes(domain, "mx." + domain);
            world.publishPolicy(domain, "1", "enforce", List.of("mx." + domain));
        }
        jar = RelayJar.located();
        honoring = start("honor", "");
        ignoring = start("ignore", "  tls-required-header: ignore\n");

        send(
                honoring,
                "r@report-header.test",
                "TLS-Report-Domain: report-header.test\r\n" + "TLS-Report-Submitter: client.test\r\n");
        send(honoring, "r@dsn-header.test", "X-Sts-Relay-Dsn-Of-Tls-Report: yes\r\n");
        send(honoring, "honored@" + OPTIONAL_DOMAIN, "TLS-Required: No\r\n");
        send(ignoring, "ignored@" + OPTIONAL_DOMAIN, "TLS-Required: No\r\n");
    }

    /**
     * A relay in {@code dir/name} whose delivery section gets {@code deliveryLines} besides the world's. Each
     * message is tried once, so a policy fetch that timed out would decide the test; the world's fetch
     * timeouts are generous enough for two relays starting at once on a loaded machine.
     */
    private static Relay start(String name, String deliveryLines) throws IOException {
        Path directory = Files.createDirectories(dir.resolve(name));
        String yaml = world.relayYaml(
                                directory.resolve("policies"),
                                "published",
                                Duration.ofMinutes(10),
                                Duration.ofMinutes(30))
                        .replace("\ndelivery:\n", "\ndelivery:\n" + deliveryLines)
                + """
                tlsrpt:
                  enabled: true
                  directory: "%s"
                  contact-info: "tlsrpt@relay.test"
                """.formatted(directory.resolve("tlsrpt"));
        assertThat(yaml).as("the world's relay sections, adjusted").contains("delivery:\n" + deliveryLines);
        RelayConfigFile config = RelayConfigFile.write(directory, 1000, 100, yaml);
        return new Relay(RelayProcess.start(jar, config, directory.resolve("relay.log")), config, directory);
    }

    private static void send(Relay relay, String recipient, String extraFields) throws IOException {
        byte[] content = ("From: <" + SENDER + ">\r\nTo: <" + recipient + ">\r\n" + extraFields + "Subject: to "
                        + recipient + "\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (SmtpTestClient client = SmtpTestClient.connect(relay.config().smtpAddress())) {
            client.ehlo("client.test");
            QUEUE_IDS.put(
                    recipient,
                    client.send("MAIL FROM:<" + SENDER + ">", List.of("RCPT TO:<" + recipient + ">"), content));
        }
    }

    @AfterAll
    static void stop() {
        for (Relay relay : new Relay[] {honoring, ignoring}) {
            if (relay != null) {
                relay.process().close();
            }
        }
        if (world != null) {
            world.close();
        }
    }

    @ParameterizedTest(name = "{1}")
    @DisplayName("RFC 8460 §3, RFC 8461 §5: a client's report header fields neither pass enforce nor hide the failure")
    @CsvSource({"report-header.test, TLS-Report-Domain", "dsn-header.test, X-Sts-Relay-Dsn-Of-Tls-Report"})
    void clientWrittenReportFieldsAreOrdinaryMail(String domain, String field) throws IOException {
        String recipient = "r@" + domain;
        DeliveryAttempt attempt = awaitAttempt(honoring, recipient, "deferred");
        assertThat(attempt.mode()).isEqualTo("enforce");
        assertThat(attempt.result()).isEqualTo("certificate-expired");
        assertThat(attempt.reply()).startsWith("451 4.7.5 ");
        assertThat(world.receivedFor(recipient))
                .as("RFC 8461 §5: nothing sent under a failed check")
                .isEmpty();
        assertThat(awaitReportedFailures(honoring, domain, "mx." + domain)).isPositive();
    }

    @Test
    @DisplayName("RFC 8689 §4.2.2: TLS-Required: No is honoured by default: delivered over TLS, failure still reported")
    void tlsRequiredNoIsHonouredByDefault() throws IOException {
        String recipient = "honored@" + OPTIONAL_DOMAIN;
        DeliveryAttempt attempt = awaitAttempt(honoring, recipient, "delivered");
        assertThat(attempt.result()).isEqualTo("certificate-expired");
        Await.until(WAIT, () -> !world.receivedFor(recipient).isEmpty(), () -> "no MX received " + recipient);
        List<ReceivedMessage> received = world.receivedFor(recipient);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).overTls())
                .as("RFC 8689 §4.2.2: STARTTLS is still negotiated")
                .isTrue();
        assertThat(awaitReportedFailures(honoring, OPTIONAL_DOMAIN, "mx." + OPTIONAL_DOMAIN))
                .isPositive();
    }

    @Test
    @DisplayName("RFC 8689 §4.2.2: with delivery.tls-required-header: ignore, TLS-Required: No does not pass enforce")
    void tlsRequiredNoIsRefusedWhenConfigured() {
        String recipient = "ignored@" + OPTIONAL_DOMAIN;
        DeliveryAttempt attempt = awaitAttempt(ignoring, recipient, "deferred");
        assertThat(attempt.mode()).isEqualTo("enforce");
        assertThat(attempt.result()).isEqualTo("certificate-expired");
        assertThat(attempt.reply()).startsWith("451 4.7.5 ");
        assertThat(world.receivedFor(recipient)).isEmpty();
    }

    private static DeliveryAttempt awaitAttempt(Relay relay, String recipient, String outcome) {
        String id = QUEUE_IDS.get(recipient);
        List<DeliveryAttempt> found = new ArrayList<>();
        try {
            Await.until(
                    WAIT,
                    () -> {
                        found.clear();
                        DeliveryAttempt.all(relay.process().logLines()).stream()
                                .filter(a -> a.id().equals(id) && a.outcome().equals(outcome))
                                .findFirst()
                                .ifPresent(found::add);
                        return !found.isEmpty();
                    },
                    () -> "no attempt of " + id + " (" + recipient + ") with outcome=" + outcome);
        } catch (AssertionError e) {
            throw relay.process().annotate(e);
        }
        return found.get(0);
    }

    /**
     * The failed sessions at {@code mx} that today's report preview of {@code domain} counts as
     * certificate-expired; waits until there is one, since results reach the journal asynchronously.
     */
    private static int awaitReportedFailures(Relay relay, String domain, String mx) {
        int[] count = {0};
        Await.until(
                WAIT,
                () -> {
                    count[0] = certificateExpiredSessions(preview(relay, domain), mx);
                    return count[0] > 0;
                },
                () -> "no certificate-expired failure at " + mx + " in the preview: " + preview(relay, domain));
        return count[0];
    }

    private static int certificateExpiredSessions(JsonNode preview, String mx) {
        return StreamSupport.stream(preview.path("policies").spliterator(), false)
                .filter(p -> p.at("/policy/policy-type").asText().equals("sts"))
                .flatMap(p -> StreamSupport.stream(p.path("failure-details").spliterator(), false))
                .filter(d -> d.path("result-type").asText().equals("certificate-expired")
                        && d.path("receiving-mx-hostname").asText().equals(mx))
                .mapToInt(d -> d.path("failed-session-count").asInt())
                .sum();
    }

    private static JsonNode preview(Relay relay, String domain) {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        CliResult result = jar.run(
                relay.directory(),
                Duration.ofSeconds(60),
                "report",
                "preview",
                "--day",
                today,
                "--domain",
                domain,
                "--config",
                relay.config().file().toString());
        if (result.exitCode() != 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(result.stdoutText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
