package org.stsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
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
import org.stsrelay.world.LocalWorld;
import org.stsrelay.world.MxOptions;
import org.stsrelay.world.PostgresServer;
import org.stsrelay.world.RelayConfigFile;
import org.stsrelay.world.RelayJar;
import org.stsrelay.world.RelayProcess;
import org.stsrelay.world.SmtpTestClient;
import org.stsrelay.world.WorldCertificates;

/**
 * Fleet mode: three relay processes share one real PostgreSQL for their MTA-STS policies and TLS-RPT reporting,
 * each with its own spool. One policy fetch serves the fleet (RFC 8461 §3.3, §10.2 fleet-wide), a domain's daily
 * report counts every node's sessions exactly once and is sent once (RFC 8460 §4.1, §4.4), a node killed while
 * shipping counts nothing twice, mail flows and is enforced while the database is down, and a purge on one node
 * reaches the others (RFC 8461 §10.3).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetIT {

    private static final String SENDER = "sender@client.test";
    private static final String RUA_HOST = "rua.reports.test";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] NODES = {"node-a", "node-b", "node-c"};

    @TempDir
    static Path dir;

    private static LocalWorld world;
    private static PostgresServer postgres;
    private static HttpsReportReceiver https;
    private static RelayJar jar;
    private static final List<Node> FLEET = new ArrayList<>();
    private static String today;

    /** One relay of the fleet: its configuration and its running process (replaced by a restart). */
    private static final class Node {
        final String name;
        final RelayConfigFile config;
        RelayProcess process;

        Node(String name, RelayConfigFile config) {
            this.name = name;
            this.config = config;
        }

        Path directory() {
            return config.file().getParent();
        }
    }

    @BeforeAll
    static void startFleet() throws Exception {
        today = LocalDate.now(ZoneOffset.UTC).toString();
        world = LocalWorld.start(dir);
        postgres = PostgresServer.start();
        https = HttpsReportReceiver.start(
                new InetSocketAddress("127.0.0.1", 0),
                WorldCertificates.serverContext(world.trustedIdentity(RUA_HOST)),
                "/tlsrpt",
                false);
        world.dns().a(RUA_HOST, InetAddress.getByName("127.0.0.1"));
        for (String domain : List.of("alpha.test", "beta.test", "gamma.test", "delta.test")) {
            world.mx("mx." + domain, MxOptions.tls(CertificateKind.GOOD));
            world.routes(domain, "mx." + domain);
            world.publishPolicy(domain, "1", "enforce", List.of("mx." + domain));
            world.dns()
                    .txt(
                            "_smtp._tls." + domain,
                            "v=TLSRPTv1; rua=https://" + RUA_HOST + ":" + https.port() + "/tlsrpt");
        }
        // An enforce policy whose only MX presents a certificate for another name: never delivered (RFC 8461 §4.2).
        world.mx("mx.evil.test", MxOptions.tls(CertificateKind.WRONG_HOST));
        world.routes("evil.test", "mx.evil.test");
        world.publishPolicy("evil.test", "1", "enforce", List.of("mx.evil.test"));

        jar = RelayJar.located();
        Path password = postgres.writePasswordFile(dir.resolve("db-password"));
        for (String name : NODES) {
            Path home = Files.createDirectories(dir.resolve(name));
            RelayConfigFile config = RelayConfigFile.write(
                    home,
                    1000,
                    100,
                    world.relayYaml(home.resolve("policies"), "published", Duration.ofSeconds(1), Duration.ofMinutes(5))
                            + """
                            tlsrpt:
                              enabled: true
                              directory: "%s"
                              organization-name: "sts-relay fleet"
                              contact-info: "tlsrpt@relay.test"
                              from: "tlsrpt-reports@relay.test"
                            cluster:
                              database: "%s"
                              user: "%s"
                              password-file: "%s"
                              node-name: "%s"
                              ship-interval: 1s
                            """.formatted(
                                    home.resolve("tlsrpt"), postgres.jdbcUrl(), PostgresServer.USER, password, name));
            FLEET.add(new Node(name, config));
        }
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (Node node : FLEET) {
            starts.add(CompletableFuture.runAsync(() -> start(node)));
        }
        starts.forEach(CompletableFuture::join);
    }

    private static void start(Node node) {
        node.process = RelayProcess.start(
                jar,
                node.config,
                node.directory().resolve("relay-" + Instant.now().toEpochMilli() + ".log"));
    }

    @AfterAll
    static void stopFleet() {
        for (Node node : FLEET) {
            if (node.process != null) {
                node.process.close();
            }
        }
        if (https != null) {
            https.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (world != null) {
            world.close();
        }
    }

    @Test
    @Order(1)
    @DisplayName("RFC 8461 §3.3, §10.2: one policy fetch serves all three nodes, one after another and all at once")
    void onePolicyFetchServesTheFleet() throws Exception {
        for (Node node : FLEET) {
            send(node, "one@alpha.test");
            awaitDelivered(node, "alpha.test", 1);
        }
        assertThat(world.policyHosts().fetches("alpha.test")).isEqualTo(1);

        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (Node node : FLEET) {
            sends.add(CompletableFuture.runAsync(() -> send(node, "all@beta.test")));
        }
        sends.forEach(CompletableFuture::join);
        for (Node node : FLEET) {
            awaitDelivered(node, "beta.test", 1);
            assertThat(attempts(node, "beta.test")).allMatch(a -> a.mode().equals("enforce") && a.overTls());
        }
        assertThat(world.policyHosts().fetches("beta.test")).isEqualTo(1);
    }

    @Test
    @Order(2)
    @DisplayName(
            "RFC 8460 §4.1, §4.4: the day's report counts every node's sessions once and two nodes racing send one")
    void oneReportCountsEveryNodeOnce() throws Exception {
        awaitShippedAfter(Instant.now());
        List<CompletableFuture<CliResult>> sends = new ArrayList<>();
        for (Node node : List.of(FLEET.get(0), FLEET.get(1))) {
            sends.add(CompletableFuture.supplyAsync(
                    () -> cli(node, "report", "send", "--day", today, "--domain", "alpha.test")));
        }
        for (CompletableFuture<CliResult> send : sends) {
            assertThat(send.join().exitCode()).as(send.join().describe()).isZero();
        }
        await(WAIT, () -> reportsFor("alpha.test").size() >= 1, () -> "no report for alpha.test arrived");
        // The loser of the lease race finds the destination delivered; give a second report time to show up.
        Thread.sleep(3_000);
        List<JsonNode> reports = reportsFor("alpha.test");
        assertThat(reports).hasSize(1);
        JsonNode summary = reports.get(0).path("policies").get(0).path("summary");
        assertThat(summary.path("total-successful-session-count").asLong()).isEqualTo(3);
        assertThat(summary.path("total-failure-session-count").asLong()).isZero();
    }

    @Test
    @Order(3)
    @DisplayName("kill -9 of a node while it ships, then a restart: every journaled result counted exactly once")
    void killedWhileShippingCountsNothingTwice() throws Exception {
        Node victim = FLEET.get(2);
        int messages = 12;
        for (int i = 0; i < messages; i++) {
            send(victim, "m" + i + "@gamma.test");
        }
        await(WAIT, () -> !attempts(victim, "gamma.test").isEmpty(), () -> "nothing delivered to gamma.test");
        victim.process.kill();
        start(victim);
        await(
                WAIT,
                () -> received("gamma.test") >= messages,
                () -> "gamma.test received " + received("gamma.test") + " of " + messages);
        awaitShippedAfter(Instant.now());
        JsonNode report = preview(FLEET.get(0), "gamma.test");
        JsonNode summary = report.path("policies").get(0).path("summary");
        long reported = summary.path("total-successful-session-count").asLong()
                + summary.path("total-failure-session-count").asLong();
        assertThat(reported).isEqualTo(journaled("gamma.test")).isPositive();
    }

    @Test
    @Order(4)
    @DisplayName("RFC 8461 §10.2: with the database stopped, mail is delivered and enforced from local caches")
    void databaseDownMailStillFlowsAndIsEnforced() throws Exception {
        Node a = FLEET.get(0);
        send(a, "before@delta.test");
        awaitDelivered(a, "delta.test", 1);
        send(a, "before@evil.test");
        await(WAIT, () -> !attempts(a, "evil.test").isEmpty(), () -> "no attempt to evil.test");
        postgres.stopServer();
        try {
            send(a, "during@delta.test");
            awaitDelivered(a, "delta.test", 2);
            send(a, "during@evil.test");
            await(
                    WAIT,
                    () -> attempts(a, "evil.test").size() >= 2,
                    () -> "evil.test attempts: " + attempts(a, "evil.test"));
            assertThat(attempts(a, "delta.test")).allMatch(x -> x.mode().equals("enforce") && x.overTls());
            assertThat(attempts(a, "evil.test"))
                    .allMatch(x -> x.mode().equals("enforce") && !x.outcome().equals("delivered"));
            assertThat(received("evil.test")).isZero();
        } finally {
            postgres.startServer();
        }
        Instant back = Instant.now();
        awaitShippedAfter(back);
        JsonNode summary = preview(a, "delta.test").path("policies").get(0).path("summary");
        assertThat(summary.path("total-successful-session-count").asLong()).isEqualTo(journaled("delta.test"));
    }

    @Test
    @Order(5)
    @DisplayName("RFC 8461 §10.3: a purge on one node is seen by the others")
    void purgeReachesTheFleet() {
        for (Node node : FLEET) {
            assertThat(cli(node, "policy", "show", "alpha.test").exitCode()).isZero();
        }
        CliResult purge = cli(FLEET.get(0), "policy", "purge", "alpha.test");
        assertThat(purge.exitCode()).as(purge.describe()).isZero();
        for (Node node : FLEET) {
            await(
                    WAIT,
                    () -> cli(node, "policy", "show", "alpha.test").exitCode() == 1,
                    () -> node.name + " still stores alpha.test's policy");
        }
        assertThat(postgres.number("SELECT count(*) FROM policies WHERE domain = 'alpha.test'"))
                .isZero();
    }

    private static void send(Node node, String recipient) {
        try (SmtpTestClient client = SmtpTestClient.connect(node.config.smtpAddress())) {
            client.ehlo("client.test");
            byte[] content = ("From: <" + SENDER + ">\r\nTo: <" + recipient + ">\r\nSubject: fleet\r\n\r\nbody\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            client.send("MAIL FROM:<" + SENDER + ">", List.of("RCPT TO:<" + recipient + ">"), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitDelivered(Node node, String domain, long count) {
        await(
                WAIT,
                () -> attempts(node, domain).stream()
                                .filter(a -> a.outcome().equals("delivered"))
                                .count()
                        >= count,
                () -> node.name + " attempts to " + domain + ": " + attempts(node, domain));
    }

    // Every node has shipped everything it recorded before `since`.
    private static void awaitShippedAfter(Instant since) {
        Timestamp at = Timestamp.from(since);
        await(
                WAIT,
                () -> {
                    try (var c = postgres.connect();
                            var q = c.prepareStatement("SELECT count(*) FROM nodes WHERE shipped_through >= ?")) {
                        q.setTimestamp(1, at);
                        try (var rows = q.executeQuery()) {
                            return rows.next() && rows.getLong(1) == NODES.length;
                        }
                    } catch (java.sql.SQLException notYet) {
                        return false;
                    }
                },
                () -> "not every node shipped through " + since);
    }

    private static List<DeliveryAttempt> attempts(Node node, String domain) {
        List<DeliveryAttempt> all = new ArrayList<>();
        try (var logs = Files.list(node.directory())) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("relay-"))
                    .toList()) {
                DeliveryAttempt.all(Files.readAllLines(log)).stream()
                        .filter(a -> a.domain().equals(domain))
                        .forEach(all::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    private static long received(String domain) {
        return world.received().stream()
                .filter(m -> m.recipients().stream().anyMatch(r -> r.endsWith("@" + domain)))
                .count();
    }

    // Intact journal lines of the domain over every node's TLS-RPT journal of today: the results to be reported.
    private static long journaled(String domain) throws IOException {
        long count = 0;
        for (Node node : FLEET) {
            Path journal = node.directory().resolve("tlsrpt").resolve("results-" + today + ".log");
            if (Files.exists(journal)) {
                count += Files.readAllLines(journal).stream()
                        .filter(line -> line.contains("\"d\":\"" + domain + "\"") && line.endsWith("}"))
                        .count();
            }
        }
        return count;
    }

    private static JsonNode preview(Node node, String domain) throws IOException {
        CliResult preview = cli(node, "report", "preview", "--day", today, "--domain", domain);
        assertThat(preview.exitCode()).as(preview.describe()).isZero();
        return JSON.readTree(preview.stdoutText());
    }

    private static List<JsonNode> reportsFor(String domain) {
        List<JsonNode> reports = new ArrayList<>();
        for (HttpsReportReceiver.Post post : https.posts()) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(post.body()))) {
                JsonNode report = JSON.readTree(in.readAllBytes());
                if (report.path("policies")
                        .get(0)
                        .path("policy")
                        .path("policy-domain")
                        .asText()
                        .equals(domain)) {
                    reports.add(report);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return reports;
    }

    private static CliResult cli(Node node, String... args) {
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--config";
        full[args.length + 1] = node.config.file().toString();
        return jar.run(node.directory(), Duration.ofSeconds(60), full);
    }

    private static void await(Duration timeout, BooleanSupplier condition, Supplier<String> whyNot) {
        try {
            Await.until(timeout, condition, whyNot);
        } catch (AssertionError e) {
            AssertionError annotated = e;
            for (Node node : FLEET) {
                annotated = node.process.annotate(annotated);
            }
            throw annotated;
        }
    }
}
