package org.stsrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.config.ClusterConfig;
import org.stsrelay.delivery.TlsResult;
import org.stsrelay.fleet.FleetDatabase;
import org.stsrelay.fleet.NodeHeartbeat;
import org.stsrelay.tlsrpt.ResultShipper;
import org.stsrelay.tlsrpt.TlsResultJournal;
import org.stsrelay.world.PostgresServer;
import picocli.CommandLine;

/** {@code report status|preview} in fleet mode show every node's results and the shared state. */
class ReportCommandFleetIT {

    private static final Clock AFTER_MIDNIGHT = Clock.fixed(Instant.parse("2024-03-02T00:00:30Z"), ZoneOffset.UTC);
    private static PostgresServer postgres;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

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

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    /** A node that recorded {@code count} successful sessions with a.example on 2024-03-01 and shipped them. */
    private void shippedNode(String name, int count) throws Exception {
        Path journal = dir.resolve(name).resolve("tlsrpt");
        try (TlsResultJournal j = TlsResultJournal.open(journal, new SimpleMeterRegistry(), AFTER_MIDNIGHT)) {
            for (int i = 0; i < count; i++) {
                j.record(new TlsResult(
                        Instant.parse("2024-03-01T10:00:00Z").plusSeconds(i),
                        "a.example",
                        Optional.empty(),
                        Optional.of("mx.a.example"),
                        Optional.of("192.0.2.7"),
                        Optional.empty(),
                        Optional.of("198.51.100.62"),
                        Optional.empty(),
                        Optional.empty()));
            }
        }
        try (FleetDatabase db = FleetDatabase.open(database(name), new SimpleMeterRegistry())) {
            assertThat(new NodeHeartbeat(db, "test", AFTER_MIDNIGHT).beat()).isTrue();
            assertThat(new ResultShipper(db, journal, new SimpleMeterRegistry(), AFTER_MIDNIGHT).ship())
                    .isTrue();
        }
    }

    private ClusterConfig.Database database(String node) throws Exception {
        Path password = postgres.writePasswordFile(dir.resolve("password"));
        return new ClusterConfig.Database(
                postgres.jdbcUrl(), PostgresServer.USER, Optional.of(password), node, Duration.ofSeconds(10));
    }

    @Test
    void statusAndPreviewShowTheWholeFleet() throws Exception {
        shippedNode("node-a", 2);
        shippedNode("node-b", 5);
        try (Connection c = postgres.connect();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO tlsrpt_report_state (day, state, updated_by) VALUES ('2024-03-01', "
                    + "'{\"domains\":{\"a.example\":{\"report-id\":\"20240301.a.example@example.net\","
                    + "\"destinations\":{\"mailto:r@a.example\":{\"state\":\"queued\",\"attempts\":1,"
                    + "\"first-try\":\"2024-03-02T01:00:00Z\"}}}}}', 'node-b')");
        }
        Path yaml = Files.writeString(
                dir.resolve("relay.yaml"),
                "spool:\n  directory: " + dir.resolve("spool") + "\n"
                        + "tlsrpt:\n  directory: " + dir.resolve("node-a").resolve("tlsrpt") + "\n"
                        + "cluster:\n  database: " + postgres.jdbcUrl() + "\n  user: " + PostgresServer.USER
                        + "\n  password-file: " + dir.resolve("password") + "\n  node-name: node-a\n");

        assertThat(run("report", "status", "--config", yaml.toString(), "--day", "2024-03-01"))
                .isZero();
        assertThat(err.toString()).doesNotContain("unreachable");
        assertThat(out.toString())
                .containsPattern("a\\.example\\s+7\\s+0")
                .containsPattern("node-a\\s+2\\s+2024-03-02T00:00:30Z")
                .containsPattern("node-b\\s+5\\s+2024-03-02T00:00:30Z")
                .contains("a.example  report-id 20240301.a.example@example.net")
                .containsPattern("mailto:r@a\\.example\\s+queued");

        out.getBuffer().setLength(0);
        assertThat(run("report", "preview", "--config", yaml.toString(), "--day", "2024-03-01"))
                .isZero();
        assertThat(out.toString()).contains("\"total-successful-session-count\" : 7");
    }
}
