package org.stsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.stsrelay.world.Await;
import org.stsrelay.world.CertificateKind;
import org.stsrelay.world.CliResult;
import org.stsrelay.world.DeliveryAttempt;
import org.stsrelay.world.DsnRecipient;
import org.stsrelay.world.LocalWorld;
import org.stsrelay.world.MxOptions;
import org.stsrelay.world.MxServer;
import org.stsrelay.world.QueueWatcher;
import org.stsrelay.world.ReceivedMessage;
import org.stsrelay.world.RecipientState;
import org.stsrelay.world.RelayConfigFile;
import org.stsrelay.world.RelayJar;
import org.stsrelay.world.RelayProcess;
import org.stsrelay.world.RelayQueue;
import org.stsrelay.world.SmtpTestClient;

/**
 * Delivery under MTA-STS, end to end: one relay and one local world for the whole class. Every
 * matrix cell (policy mode × MX fault) is a recipient domain of its own; all their messages are
 * sent first and each test then waits, bounded, for its own outcome, so the class takes about as
 * long as the 20 s queue lifetime that turns enforce refusals into bounces.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MtaStsDeliveryIT {

    private static final String SENDER = "sender@client.test";
    private static final String SENDER_MX = "mx.client.test";
    private static final Duration QUEUE_LIFETIME = Duration.ofSeconds(20);
    private static final Duration DELIVERY_WAIT = Duration.ofSeconds(30);
    private static final Duration BOUNCE_WAIT = QUEUE_LIFETIME.plusSeconds(40);
    private static final Duration CONTROL_WAIT = Duration.ofSeconds(20);
    private static final Pattern METRIC = Pattern.compile("^(\\w+)(\\{[^}]*})?\\s+(\\S+)$");

    @TempDir
    static Path dir;

    private static LocalWorld world;
    private static RelayJar jar;
    private static RelayConfigFile config;
    private static RelayProcess relay;
    private static RelayQueue queue;
    private static QueueWatcher watcher;
    private static Path policyStore;
    private static final Map<String, String> queueIds = new ConcurrentHashMap<>();

    static Stream<DeliveryCell> cells() {
        return Arrays.stream(DeliveryCell.Mode.values())
                .flatMap(mode -> Arrays.stream(DeliveryCell.MxKind.values()).map(kind -> new DeliveryCell(mode, kind)));
    }

    static Stream<DeliveryCell> enforceRefusals() {
        return cells().filter(cell -> !cell.delivered());
    }

    @BeforeAll
    static void startWorldAndRelay() throws IOException {
        world = LocalWorld.start(dir);
        world.routes("client.test", SENDER_MX);
        world.mx(SENDER_MX, MxOptions.tls(CertificateKind.GOOD));
        cells().forEach(cell -> cell.build(world));
        buildFallback();
        buildPartial();
        policyStore = dir.resolve("policies");
        jar = RelayJar.located();
        config = RelayConfigFile.write(
                dir, 1000, 100, world.relayYaml(policyStore, "published", Duration.ofSeconds(1), QUEUE_LIFETIME));
        relay = RelayProcess.start(jar, config, dir.resolve("relay.log"));
        queue = new RelayQueue(jar, config, dir);
        watcher = QueueWatcher.start(queue);
        try (SmtpTestClient client = SmtpTestClient.connect(config.smtpAddress())) {
            client.ehlo("client.test");
            for (DeliveryCell cell : cells().toList()) {
                queueIds.put(cell.recipient(), send(client, cell.recipient()));
            }
            queueIds.put("rcpt@enforce-fallback.test", send(client, "rcpt@enforce-fallback.test"));
            queueIds.put("partial", send(client, "alice@partial.test", "nobody@partial.test", "bob@partial.test"));
        }
    }

    @AfterAll
    static void stop() {
        if (watcher != null) {
            watcher.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (world != null) {
            world.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    @DisplayName(
            "RFC 8461 §5: each policy mode × MX fault is delivered or withheld, over TLS or not, with its TLS result")
    void matrixCell(DeliveryCell cell) {
        String id = queueIds.get(cell.recipient());
        DeliveryAttempt decisive = awaitAttempt(id, cell.domain(), cell.delivered() ? "delivered" : "deferred");
        assertThat(decisive.mode()).as("policy mode logged for %s", cell).isEqualTo(cell.mode().logged);
        assertThat(decisive.result()).as("TLS result logged for %s", cell).isEqualTo(cell.result());
        assertThat(decisive.mx()).as("MX dialled for %s", cell).isEqualTo(cell.dialledMx());
        if (cell.kind() == DeliveryCell.MxKind.NOT_YET_VALID && !cell.delivered()) {
            assertThat(decisive.reply())
                    .as("RFC 8460 §4.3.1: the refusal of %s names notBefore", cell)
                    .contains("certificate not yet valid (notBefore ");
        }
        if (cell.delivered()) {
            assertDelivered(cell, id, decisive);
        } else {
            assertWithheld(cell, decisive);
        }
    }

    private static void assertDelivered(DeliveryCell cell, String id, DeliveryAttempt decisive) {
        ReceivedMessage message = awaitOnly(cell.recipient());
        assertThat(message.mxHost()).as("receiving MX for %s", cell).isEqualTo(cell.receivingMx());
        assertThat(message.sender()).isEqualTo(SENDER);
        assertThat(message.overTls()).as("TLS for %s", cell).isEqualTo(cell.overTls());
        assertThat(decisive.overTls())
                .as("tls= logged for %s: %s", cell, decisive)
                .isEqualTo(cell.overTls());
        if (cell.overTls()) {
            assertThat(message.tlsProtocol()).get().isIn("TLSv1.2", "TLSv1.3");
            assertThat(message.sni())
                    .as("RFC 8461 §4.1 SNI names the MX dialled, %s", cell)
                    .contains(cell.dialledMx());
        }
        assertThat(message.text()).contains("Subject: to " + cell.recipient());
        Instant delivered = Instant.now();
        Await.until(
                DELIVERY_WAIT,
                () -> watcher.goneSince(id, delivered),
                () -> id + " still listed after delivery to " + cell.recipient());
        assertThat(dsnsFor(cell.recipient()))
                .as("no DSN for a delivered recipient")
                .isEmpty();
    }

    private static void assertWithheld(DeliveryCell cell, DeliveryAttempt decisive) {
        assertThat(decisive.reply()).as("reply logged for %s", cell).contains("4.7.5");
        // tls= may name the session negotiated before the refusal; what matters is that no mail went there.
        assertThat(world.receivedFor(cell.recipient()))
                .as("nothing sent under a failed check, %s", cell)
                .isEmpty();
        Await.until(
                DELIVERY_WAIT,
                () -> deferredWith475(cell.recipient()),
                () -> "queue list never showed " + cell.recipient() + " deferred with 4.7.5: "
                        + watcher.seen(cell.recipient()) + " " + watcher.failures());
        assertThat(world.receivedFor(cell.recipient()))
                .as("RFC 8461 §5: enforce never falls back, %s", cell)
                .isEmpty();
        assertThat(attempts(queueIds.get(cell.recipient()), cell.domain()))
                .as("no attempt delivered %s", cell)
                .noneMatch(a -> a.outcome().equals("delivered"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("enforceRefusals")
    @DisplayName(
            "RFC 8461 §5 + RFC 3464: an enforce refusal bounces after the queue lifetime with 5.7.5 and the reason")
    void enforceRefusalBouncesAfterLifetime(DeliveryCell cell) {
        DsnRecipient dsn = awaitDsn(cell.recipient());
        assertThat(dsn.action()).isEqualToIgnoringCase("failed");
        assertThat(dsn.status()).isEqualTo("5.7.5");
        assertThat(dsn.diagnostic()).as("the reason names the MX refused").contains(cell.dialledMx());
        assertThat(world.receivedFor(cell.recipient())).isEmpty();
        String id = queueIds.get(cell.recipient());
        Instant bounced = Instant.now();
        Await.until(DELIVERY_WAIT, () -> watcher.goneSince(id, bounced), () -> id + " still listed after its bounce");
    }

    @Test
    @DisplayName(
            "RFC 8461 §5: under enforce a first MX with a bad certificate is skipped and the second one gets the mail")
    void enforceFallsBackToTheNextMx() {
        String id = queueIds.get("rcpt@enforce-fallback.test");
        DeliveryAttempt delivered = awaitAttempt(id, "enforce-fallback.test", "delivered");
        assertThat(delivered.mx()).isEqualTo("mx2.enforce-fallback.test");
        assertThat(delivered.result()).isEqualTo("success");
        assertThat(attempts(id, "enforce-fallback.test")).anySatisfy(attempt -> {
            assertThat(attempt.mx()).isEqualTo("mx1.enforce-fallback.test");
            assertThat(attempt.result()).isEqualTo("certificate-expired");
            assertThat(attempt.mode()).isEqualTo("enforce");
        });
        ReceivedMessage message = awaitOnly("rcpt@enforce-fallback.test");
        assertThat(message.mxHost()).isEqualTo("mx2.enforce-fallback.test");
        assertThat(message.overTls()).isTrue();
    }

    @Test
    @DisplayName("RFC 8461 §3.1: a new policy id, refreshed, replaces testing by enforce for the next message")
    void newPolicyIdAppliesToTheNextMessage() throws IOException {
        world.mx("mx.switch.test", MxOptions.tls(CertificateKind.EXPIRED));
        world.routes("switch.test", "mx.switch.test");
        world.publishPolicy("switch.test", "1", "testing", List.of("mx.switch.test"));
        String first = sendOne("first@switch.test");
        DeliveryAttempt testing = awaitAttempt(first, "switch.test", "delivered");
        assertThat(testing.mode()).isEqualTo("testing");
        assertThat(testing.result()).isEqualTo("certificate-expired");

        world.publishPolicy("switch.test", "2", "enforce", List.of("mx.switch.test"));
        CliResult refresh = refresh("switch.test");
        assertThat(refresh.exitCode())
                .as("policy refresh: %s", refresh.describe())
                .isZero();
        awaitControlApplied();
        String second = sendOne("second@switch.test");
        DeliveryAttempt enforced = awaitAttempt(second, "switch.test", "deferred");
        assertThat(enforced.mode()).isEqualTo("enforce");
        assertThat(enforced.result()).isEqualTo("certificate-expired");
        assertThat(world.receivedFor("second@switch.test")).isEmpty();
    }

    @Test
    @DisplayName("RFC 8461 §10.2: with the policy host down, the cached enforce policy still applies")
    void cachedEnforcePolicySurvivesAPolicyHostOutage() throws IOException {
        world.mx("mx-good.cached.test", MxOptions.tls(CertificateKind.GOOD));
        world.mx("mx-expired.cached.test", MxOptions.tls(CertificateKind.EXPIRED));
        world.routes("cached.test", "mx-good.cached.test");
        world.publishPolicy("cached.test", "1", "enforce", List.of("*.cached.test"));
        String first = sendOne("first@cached.test");
        assertThat(awaitAttempt(first, "cached.test", "delivered").mode()).isEqualTo("enforce");

        world.policyHostDown("cached.test", "2");
        world.routes("cached.test", "mx-expired.cached.test");
        CliResult refresh = refresh("cached.test");
        assertThat(refresh.exitCode())
                .as("a refresh from a dead host fails: %s", refresh.describe())
                .isNotZero();
        awaitControlApplied();
        String second = sendOne("second@cached.test");
        DeliveryAttempt attempt = awaitAttempt(second, "cached.test", "deferred");
        assertThat(attempt.mode()).isEqualTo("enforce");
        assertThat(attempt.result()).isEqualTo("certificate-expired");
        assertThat(world.receivedFor("second@cached.test")).isEmpty();
    }

    @Test
    @DisplayName("RFC 5321 §4.1.4: messages to one domain reuse one connection, one TLS handshake")
    void connectionIsReused() throws IOException {
        MxServer mx = world.mx("mx.reuse.test", MxOptions.tls(CertificateKind.GOOD));
        world.routes("reuse.test", "mx.reuse.test");
        world.publishPolicy("reuse.test", "1", "enforce", List.of("mx.reuse.test"));
        double reusedBefore = metricSum("sts_relay_delivery_connections_reused_total", "");
        for (int i = 1; i <= 5; i++) {
            String recipient = "r" + i + "@reuse.test";
            sendOne(recipient);
            awaitOnly(recipient);
        }
        assertThat(mx.received()).hasSize(5).allMatch(ReceivedMessage::overTls);
        assertThat(mx.connections()).as("TCP connections to the MX").isEqualTo(1);
        assertThat(mx.handshakes()).as("TLS handshakes at the MX").isEqualTo(1);
        assertThat(metricSum("sts_relay_delivery_connections_reused_total", "") - reusedBefore)
                .as("connections_reused_total grew")
                .isGreaterThanOrEqualTo(4);
    }

    @Test
    @DisplayName("RFC 5321 §4.2.5 + RFC 3464: a 550 for one recipient bounces that one; the others are delivered")
    void fivexxOnOneRecipientOfMany() {
        ReceivedMessage delivered = awaitOnly("alice@partial.test");
        assertThat(delivered.recipients()).containsExactlyInAnyOrder("alice@partial.test", "bob@partial.test");
        DsnRecipient dsn = awaitDsn("nobody@partial.test");
        assertThat(dsn.action()).isEqualToIgnoringCase("failed");
        assertThat(dsn.status()).isEqualTo("5.1.1");
        assertThat(dsn.diagnostic()).contains("550");
        assertThat(dsnsFor("alice@partial.test")).isEmpty();
        assertThat(dsnsFor("bob@partial.test")).isEmpty();
        String id = queueIds.get("partial");
        Instant done = Instant.now();
        Await.until(DELIVERY_WAIT, () -> watcher.goneSince(id, done), () -> id + " still listed");
    }

    @Test
    @DisplayName("metrics: TLS results by RFC 8460 type and enforce deferrals are counted")
    void metricsCountResults() {
        awaitAttempt(queueIds.get("rcpt@enforce-expired.test"), "enforce-expired.test", "deferred");
        awaitAttempt(queueIds.get("rcpt@testing-stripped.test"), "testing-stripped.test", "delivered");
        for (String result : List.of(
                "certificate-expired",
                "certificate-not-trusted",
                "certificate-host-mismatch",
                "starttls-not-supported",
                "validation-failure")) {
            assertThat(metricSum("sts_relay_delivery_tls_results_total", "result=\"" + result + "\""))
                    .as("tls_results_total{result=%s}", result)
                    .isPositive();
        }
        assertThat(metricSum("sts_relay_delivery_attempts_total", "mode=\"enforce\"", "outcome=\"deferred\""))
                .isPositive();
        assertThat(metricSum("sts_relay_delivery_connections_opened_total", "")).isPositive();
    }

    private static void buildFallback() {
        world.mx("mx1.enforce-fallback.test", MxOptions.tls(CertificateKind.EXPIRED));
        world.mx("mx2.enforce-fallback.test", MxOptions.tls(CertificateKind.GOOD));
        world.routes("enforce-fallback.test", "mx1.enforce-fallback.test", "mx2.enforce-fallback.test");
        world.publishPolicy("enforce-fallback.test", "1", "enforce", List.of("*.enforce-fallback.test"));
    }

    private static void buildPartial() {
        world.mx("mx.partial.test", MxOptions.tls(CertificateKind.GOOD).rejecting("nobody@partial.test"));
        world.routes("partial.test", "mx.partial.test");
    }

    private static String send(SmtpTestClient client, String... recipients) throws IOException {
        byte[] content = ("From: <" + SENDER + ">\r\nTo: <" + recipients[0] + ">\r\nSubject: to " + recipients[0]
                        + "\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        List<String> rcpts =
                Arrays.stream(recipients).map(r -> "RCPT TO:<" + r + ">").toList();
        return client.send("MAIL FROM:<" + SENDER + ">", rcpts, content);
    }

    private static String sendOne(String recipient) throws IOException {
        try (SmtpTestClient client = SmtpTestClient.connect(config.smtpAddress())) {
            client.ehlo("client.test");
            String id = send(client, recipient);
            queueIds.put(recipient, id);
            return id;
        }
    }

    private static CliResult refresh(String domain) {
        return jar.run(
                dir,
                Duration.ofSeconds(60),
                "policy",
                "refresh",
                domain,
                "--config",
                config.file().toString());
    }

    /** The CLI leaves a request in the spool's control/ directory; the running relay deletes it once applied. */
    private static void awaitControlApplied() {
        Path control = config.spool().resolve("control");
        Await.until(
                CONTROL_WAIT,
                () -> pendingRequests(control).isEmpty(),
                () -> "the relay left requests in " + control + ": " + pendingRequests(control));
    }

    private static List<Path> pendingRequests(Path control) {
        if (!Files.isDirectory(control)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(control)) {
            return files.filter(f -> !f.getFileName().toString().startsWith("."))
                    .toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<DeliveryAttempt> attempts(String id, String domain) {
        return DeliveryAttempt.all(relay.logLines()).stream()
                .filter(a -> a.id().equals(id) && a.domain().equals(domain))
                .toList();
    }

    private static DeliveryAttempt awaitAttempt(String id, String domain, String outcome) {
        List<DeliveryAttempt> found = new ArrayList<>();
        try {
            Await.until(
                    DELIVERY_WAIT,
                    () -> {
                        found.clear();
                        attempts(id, domain).stream()
                                .filter(a -> a.outcome().equals(outcome))
                                .findFirst()
                                .ifPresent(found::add);
                        return !found.isEmpty();
                    },
                    () -> "no attempt line with outcome=" + outcome + " for " + id + " to " + domain
                            + "; its attempts: " + attempts(id, domain));
        } catch (AssertionError e) {
            throw relay.annotate(e);
        }
        return found.get(0);
    }

    private static ReceivedMessage awaitOnly(String recipient) {
        Await.until(
                DELIVERY_WAIT,
                () -> !world.receivedFor(recipient).isEmpty(),
                () -> "no MX received mail for " + recipient);
        List<ReceivedMessage> received = world.receivedFor(recipient);
        assertThat(received).as("copies of the message for %s", recipient).hasSize(1);
        return received.get(0);
    }

    private static boolean deferredWith475(String recipient) {
        return watcher.seen(recipient).stream()
                .anyMatch((RecipientState s) -> s.state().equals("deferred")
                        && s.lastError() != null
                        && s.lastError().contains("4.7.5"));
    }

    private static List<DsnRecipient> dsnsFor(String recipient) {
        return world.received().stream()
                .filter(m -> m.mxHost().equals(SENDER_MX) && m.sender().isEmpty())
                .flatMap(m -> DsnRecipient.find(m, recipient).stream())
                .toList();
    }

    private static DsnRecipient awaitDsn(String recipient) {
        try {
            Await.until(
                    BOUNCE_WAIT,
                    () -> !dsnsFor(recipient).isEmpty(),
                    () -> "no DSN for " + recipient + " reached " + SENDER_MX);
        } catch (AssertionError e) {
            throw relay.annotate(e);
        }
        List<DsnRecipient> dsns = dsnsFor(recipient);
        assertThat(dsns).as("DSNs for %s", recipient).hasSize(1);
        return dsns.get(0);
    }

    /** The sum of every sample of {@code name} whose labels contain all of {@code labels}. */
    private static double metricSum(String name, String... labels) {
        double sum = 0;
        for (String line : relay.metrics().split("\n")) {
            Matcher sample = METRIC.matcher(line.trim());
            if (!sample.matches() || !sample.group(1).equals(name)) {
                continue;
            }
            String tags = sample.group(2) == null ? "" : sample.group(2);
            if (Arrays.stream(labels).allMatch(tags::contains)) {
                sum += Double.parseDouble(sample.group(3));
            }
        }
        return sum;
    }
}
