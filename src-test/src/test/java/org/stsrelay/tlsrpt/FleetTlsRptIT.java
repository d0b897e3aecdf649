package org.stsrelay.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.policy.testing.FakeDns;
import org.stsrelay.policy.testing.FakeTime;
import org.stsrelay.spool.SpooledMessage;
import org.stsrelay.world.PostgresServer;

/**
 * Shared TLS-RPT against a real PostgreSQL: several nodes' journals shipped to one database make one report per
 * policy domain, sent once, by the node that holds the day's lease.
 */
class FleetTlsRptIT {

    private static final LocalDate DAY = LocalDate.parse("2024-03-01");
    private static final Instant AFTER_MIDNIGHT = Instant.parse("2024-03-02T00:00:30Z");
    private static PostgresServer postgres;

    @TempDir
    Path root;

    private final FakeDns dns = new FakeDns()
            .txt("_smtp._tls.a.example", "v=TLSRPTv1; rua=mailto:reports@a.example")
            .txt("_smtp._tls.b.example", "v=TLSRPTv1; rua=mailto:reports@b.example");
    private final List<FleetNode> nodes = new ArrayList<>();

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void emptyTables() throws Exception {
        try (FleetNode migrate = node("migrate", AFTER_MIDNIGHT)) {
            migrate.beat();
        }
        nodes.clear();
        try (Connection c = postgres.connect();
                Statement s = c.createStatement()) {
            s.execute("TRUNCATE nodes, tlsrpt_batches, tlsrpt_report_state, tlsrpt_leases");
        }
    }

    @AfterEach
    void closeNodes() throws Exception {
        for (FleetNode n : nodes) {
            n.close();
        }
    }

    private FleetNode node(String name, Instant now) throws Exception {
        FleetNode n = FleetNode.start(name, root, postgres, new FakeTime(now), dns);
        nodes.add(n);
        return n;
    }

    @Test
    @DisplayName("RFC 8460 §4.4: three nodes' results make one report per policy domain whose counts are the sum")
    void threeNodesOneReport() throws Exception {
        FleetNode a = node("node-a", AFTER_MIDNIGHT);
        FleetNode b = node("node-b", AFTER_MIDNIGHT);
        FleetNode c = node("node-c", AFTER_MIDNIGHT);
        for (int i = 0; i < 5; i++) {
            a.record(FleetNode.success("2024-03-01T10:00:0" + i + "Z", "a.example"));
        }
        a.record(FleetNode.expired("2024-03-01T11:00:00Z", "a.example"));
        a.record(FleetNode.expired("2024-03-01T11:00:01Z", "a.example"));
        b.record(FleetNode.success("2024-03-01T12:00:00Z", "a.example"));
        b.record(FleetNode.success("2024-03-01T12:00:01Z", "a.example"));
        b.record(FleetNode.success("2024-03-01T12:00:02Z", "a.example"));
        b.record(FleetNode.expired("2024-03-01T13:00:00Z", "a.example"));
        for (int i = 0; i < 4; i++) {
            c.record(FleetNode.success("2024-03-01T14:00:0" + i + "Z", "b.example"));
        }
        for (FleetNode n : List.of(a, b, c)) {
            n.beat();
            assertThat(n.ship()).isTrue();
        }

        // One row per node's shipment whatever the number of results: counted groups.
        assertThat(postgres.number("SELECT count(*) FROM tlsrpt_batches")).isEqualTo(3);
        assertThat(postgres.number("SELECT sum(results) FROM tlsrpt_batches")).isEqualTo(15);
        assertThat(postgres.number(
                        "SELECT jsonb_array_length(payload->'groups') FROM tlsrpt_batches WHERE node = 'node-a'"))
                .isEqualTo(2);

        assertThat(a.fleet.guard().run(DAY, () -> a.dispatcher.dispatch(DAY, Optional.empty())))
                .isPresent();
        Map<String, JsonNode> reports = reports(a);
        assertThat(reports).containsOnlyKeys("reports@a.example", "reports@b.example");
        JsonNode aReport = reports.get("reports@a.example");
        assertThat(aReport.path("report-id").asText()).isEqualTo("20240301.a.example@example.net");
        JsonNode summary = aReport.path("policies").get(0).path("summary");
        assertThat(summary.path("total-successful-session-count").asLong()).isEqualTo(8);
        assertThat(summary.path("total-failure-session-count").asLong()).isEqualTo(3);
        assertThat(aReport.path("policies")
                        .get(0)
                        .path("failure-details")
                        .get(0)
                        .path("failed-session-count")
                        .asLong())
                .isEqualTo(3);
        assertThat(reports.get("reports@b.example")
                        .path("policies")
                        .get(0)
                        .path("summary")
                        .path("total-successful-session-count")
                        .asLong())
                .isEqualTo(4);

        // Another node that gets the lease afterwards finds every destination tried: it sends nothing.
        assertThat(b.fleet.guard().run(DAY, () -> b.dispatcher.dispatch(DAY, Optional.empty())))
                .isPresent();
        assertThat(b.spool.messages()).isEmpty();
        assertThat(a.spool.messages()).hasSize(2);
        assertThat(DatabaseReportStates.read(postgres.connect(), DAY).domains())
                .containsOnlyKeys("a.example", "b.example");
    }

    @Test
    @DisplayName(
            "Shipping again, or from a restarted shipper on the same files, stores nothing twice and loses nothing")
    void shippingIsIdempotentByJournalPosition() throws Exception {
        FleetNode a = node("node-a", AFTER_MIDNIGHT);
        a.beat();
        a.record(
                FleetNode.success("2024-03-01T10:00:00Z", "a.example"),
                FleetNode.success("2024-03-01T10:00:01Z", "a.example"),
                FleetNode.expired("2024-03-01T10:00:02Z", "a.example"));
        assertThat(a.ship()).isTrue();
        assertThat(a.ship()).isTrue();
        assertThat(shipped("node-a")).isEqualTo(3);
        assertThat(postgres.number("SELECT count(*) FROM tlsrpt_batches")).isEqualTo(1);

        // kill -9 after the commit, before the shipper remembered it: a new shipper starts from the database.
        ResultShipper restarted = new ResultShipper(a.database, a.journal, a.registry, a.clock);
        assertThat(restarted.ship()).isTrue();
        assertThat(shipped("node-a")).isEqualTo(3);

        // Results appended after a shipment go with the next one.
        a.record(FleetNode.success("2024-03-01T11:00:00Z", "a.example"));
        assertThat(restarted.ship()).isTrue();
        assertThat(shipped("node-a")).isEqualTo(4);

        // The first shipper still remembers the old position: its batch collides with the stored one, fails as a
        // value, and the next shipment asks the database where to go on.
        a.record(FleetNode.success("2024-03-01T12:00:00Z", "a.example"));
        assertThat(a.ship()).isFalse();
        assertThat(a.ship()).isTrue();
        assertThat(shipped("node-a")).isEqualTo(5);
        assertThat(total(new ShippedResults(a.database).day(DAY))).isEqualTo(5);
    }

    @Test
    @DisplayName("A torn tail is shipped only once complete; a chunked backlog arrives whole")
    void tornTailAndChunks() throws Exception {
        FleetNode a = node("node-a", AFTER_MIDNIGHT);
        a.beat();
        a.record(FleetNode.success("2024-03-01T10:00:00Z", "a.example"));
        byte[] line = new JournalFormat().encode(FleetNode.success("2024-03-01T10:00:01Z", "a.example"));
        java.nio.file.Files.write(
                JournalFormat.file(a.journal, DAY),
                java.util.Arrays.copyOf(line, line.length / 2),
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(a.ship()).isTrue();
        assertThat(shipped("node-a")).isEqualTo(1);
        // The journal's writer ends a torn line with a newline after a restart; the torn record counts nothing.
        try (TlsResultJournal journal = TlsResultJournal.open(a.journal, a.registry, a.clock)) {
            journal.record(new org.stsrelay.delivery.TlsResult(
                    Instant.parse("2024-03-01T10:00:02Z"),
                    "a.example",
                    Optional.empty(),
                    Optional.of("mx.a.example"),
                    Optional.of("192.0.2.7"),
                    Optional.empty(),
                    Optional.of("198.51.100.62"),
                    Optional.empty(),
                    Optional.empty()));
        }
        assertThat(a.ship()).isTrue();
        assertThat(shipped("node-a")).isEqualTo(2);

        FleetNode b = node("node-b", AFTER_MIDNIGHT);
        b.beat();
        for (int i = 0; i < 20; i++) {
            b.record(FleetNode.success("2024-03-01T10:00:" + (10 + i) + "Z", "b.example"));
        }
        ResultShipper small = new ResultShipper(b.database, new JournalTail(b.journal, 1024), b.registry, b.clock);
        assertThat(small.ship()).isTrue();
        assertThat(postgres.number("SELECT count(*) FROM tlsrpt_batches WHERE node = 'node-b'"))
                .isGreaterThan(3);
        assertThat(shipped("node-b")).isEqualTo(20);
        assertThat(postgres.number("SELECT count(*) FROM nodes WHERE name = 'node-b' AND shipped_through IS NOT NULL"))
                .isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8460 §4.4: two nodes racing for the day's lease send one report per destination")
    void racingDispatchersSendOnce() throws Exception {
        FleetNode a = node("node-a", AFTER_MIDNIGHT);
        FleetNode b = node("node-b", AFTER_MIDNIGHT);
        a.record(FleetNode.success("2024-03-01T10:00:00Z", "a.example"));
        b.record(FleetNode.success("2024-03-01T10:00:00Z", "b.example"));
        for (FleetNode n : List.of(a, b)) {
            n.beat();
            assertThat(n.ship()).isTrue();
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<Optional<ReportState>>> runs = new ArrayList<>();
            for (FleetNode n : List.of(a, b)) {
                runs.add(threads.submit(() -> {
                    go.await();
                    return n.fleet.guard().run(DAY, () -> n.dispatcher.dispatch(DAY, Optional.empty()));
                }));
            }
            go.countDown();
            for (Future<Optional<ReportState>> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        List<String> recipients = new ArrayList<>();
        for (FleetNode n : List.of(a, b)) {
            n.spool
                    .messages()
                    .forEach(
                            m -> recipients.add(m.envelope().recipients().get(0).address()));
        }
        assertThat(recipients).containsExactlyInAnyOrder("reports@a.example", "reports@b.example");
        assertThat(postgres.number("SELECT count(*) FROM tlsrpt_leases")).isZero();
    }

    @Test
    @DisplayName("RFC 8460 §4.1: a node seen during the day that has not shipped through its end holds the report")
    void reportWaitsForANodeBehind() throws Exception {
        FleetNode a = node("node-a", AFTER_MIDNIGHT);
        FleetNode late = node("node-late", Instant.parse("2024-03-01T12:00:00Z"));
        a.record(FleetNode.success("2024-03-01T10:00:00Z", "a.example"));
        late.record(FleetNode.success("2024-03-01T11:00:00Z", "a.example"));
        for (FleetNode n : List.of(a, late)) {
            n.beat();
            assertThat(n.ship()).isTrue();
        }
        late.record(FleetNode.expired("2024-03-01T23:00:00Z", "a.example"));
        ReportScheduler scheduler = scheduler(a);
        scheduler.tick();
        a.clock.set(Instant.parse("2024-03-02T03:59:00Z"));
        scheduler.tick();
        assertThat(a.spool.messages())
                .as("held: node-late shipped only through 12:00")
                .isEmpty();

        late.clock.set(Instant.parse("2024-03-02T00:05:00Z"));
        assertThat(late.ship()).isTrue();
        scheduler.tick();
        JsonNode summary =
                reports(a).get("reports@a.example").path("policies").get(0).path("summary");
        assertThat(summary.path("total-successful-session-count").asLong()).isEqualTo(2);
        assertThat(summary.path("total-failure-session-count").asLong()).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8460 §4.1: at the end of the send window the report goes without a node that never shipped")
    void windowEndSendsWhatIsThere() throws Exception {
        FleetNode a = node("node-a", AFTER_MIDNIGHT);
        FleetNode gone = node("node-gone", Instant.parse("2024-03-01T12:00:00Z"));
        a.record(FleetNode.success("2024-03-01T10:00:00Z", "a.example"));
        gone.record(FleetNode.success("2024-03-01T11:00:00Z", "a.example"));
        for (FleetNode n : List.of(a, gone)) {
            n.beat();
            assertThat(n.ship()).isTrue();
        }
        gone.record(FleetNode.expired("2024-03-01T23:00:00Z", "a.example"));
        ReportScheduler scheduler = scheduler(a);
        scheduler.tick();
        a.clock.set(Instant.parse("2024-03-02T03:59:59Z"));
        scheduler.tick();
        assertThat(a.spool.messages()).isEmpty();

        a.clock.set(Instant.parse("2024-03-02T04:00:00Z"));
        scheduler.tick();
        JsonNode summary =
                reports(a).get("reports@a.example").path("policies").get(0).path("summary");
        assertThat(summary.path("total-successful-session-count").asLong()).isEqualTo(2);
        assertThat(summary.path("total-failure-session-count").asLong())
                .as("the unshipped failure is not in the report")
                .isZero();
    }

    private ReportScheduler scheduler(FleetNode n) {
        ScheduledExecutorService unused = Executors.newSingleThreadScheduledExecutor();
        unused.shutdown();
        return new ReportScheduler(
                n.dispatcher, FleetNode.config(n.journal), n.clock, new Random(7), unused, n.fleet.guard());
    }

    private static long shipped(String node) {
        return postgres.number("SELECT coalesce(sum(results), 0) FROM tlsrpt_batches WHERE node = '" + node + "'");
    }

    static long total(List<ResultGroup> groups) {
        return groups.stream().mapToLong(ResultGroup::count).sum();
    }

    /** The report JSON of each report mail in the node's spool, by recipient. */
    static Map<String, JsonNode> reports(FleetNode n) throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        for (SpooledMessage m : n.spool.messages()) {
            String mail;
            try (InputStream in = n.spool.openContent(m)) {
                mail = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
            out.put(m.envelope().recipients().get(0).address(), new ObjectMapper().readTree(attachment(mail)));
        }
        return out;
    }

    private static byte[] attachment(String mail) throws Exception {
        int part = mail.indexOf("Content-Type: application/tlsrpt+gzip");
        int body = mail.indexOf("\r\n\r\n", part) + 4;
        String base64 = mail.substring(body, mail.indexOf("\r\n--", body));
        try (InputStream in = new GZIPInputStream(
                new ByteArrayInputStream(Base64.getMimeDecoder().decode(base64)))) {
            return in.readAllBytes();
        }
    }
}
