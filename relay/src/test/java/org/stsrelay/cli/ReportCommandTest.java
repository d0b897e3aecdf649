package org.stsrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.delivery.TlsResult;
import org.stsrelay.tlsrpt.TlsResultJournal;
import picocli.CommandLine;

class ReportCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private Path config(String cluster) throws Exception {
        return Files.writeString(
                dir.resolve("relay.yaml"),
                "spool:\n  directory: " + dir.resolve("spool") + "\n" + "tlsrpt:\n  directory: " + dir.resolve("tlsrpt")
                        + "\n" + cluster);
    }

    private void journal() throws Exception {
        try (TlsResultJournal journal =
                TlsResultJournal.open(dir.resolve("tlsrpt"), new SimpleMeterRegistry(), Clock.systemUTC())) {
            for (int i = 0; i < 3; i++) {
                journal.record(new TlsResult(
                        Instant.parse("2024-03-01T10:00:0" + i + "Z"),
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
    }

    /** A loopback port nothing listens on: connecting is refused at once. */
    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void singleNodeStatusReadsTheJournal() throws Exception {
        journal();
        assertThat(run("report", "status", "--config", config("").toString(), "--day", "2024-03-01"))
                .isZero();
        assertThat(out.toString()).containsPattern("a\\.example\\s+3\\s+0");
        assertThat(out.toString()).doesNotContain("NODE");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void fleetStatusFallsBackToTheJournalWithAWarningWhileTheDatabaseIsDown() throws Exception {
        journal();
        Path yaml = config("cluster:\n  database: jdbc:postgresql://127.0.0.1:" + closedPort() + "/stsrelay\n"
                + "  node-name: node-a\n");
        assertThat(run("report", "status", "--config", yaml.toString(), "--day", "2024-03-01"))
                .isZero();
        assertThat(err.toString()).contains("fleet database is unreachable").contains("only this node's journal");
        assertThat(out.toString()).containsPattern("a\\.example\\s+3\\s+0");

        out.getBuffer().setLength(0);
        assertThat(run("report", "preview", "--config", yaml.toString(), "--day", "2024-03-01"))
                .isZero();
        assertThat(out.toString()).contains("\"total-successful-session-count\" : 3");
    }
}
