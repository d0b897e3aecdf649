package org.stsrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stsrelay.received.TestReports.TESTING;
import static org.stsrelay.received.TestReports.failure;
import static org.stsrelay.received.TestReports.report;
import static org.stsrelay.received.TestReports.sts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.received.MemoryReceivedStore;
import org.stsrelay.received.TestReports;
import picocli.CommandLine;

class ReceivedSummaryCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<Path> opened = new ArrayList<>();

    private MemoryReceivedStore store = new MemoryReceivedStore(List.of(
            report("Google Inc.", "2026-03-09", sts(TESTING, 120)),
            report(
                    "Microsoft Corporation",
                    "2026-03-10",
                    sts(TESTING, 50, failure("starttls-not-supported", "mx2.example.com", "192.0.2.2", 2, "no TLS")))));

    private int run(String... args) throws Exception {
        Path config = Files.writeString(
                dir.resolve("relay.yaml"),
                "spool:\n  directory: " + dir.resolve("spool") + "\nreceived:\n  directory: " + dir.resolve("received")
                        + "\n  ready-days: 2\n  ready-organisations: 2\n");
        CommandLine cl = new CommandLine(new ReceivedSummaryCommand(
                directory -> {
                    opened.add(directory);
                    return store;
                },
                Optional.of(TestReports.published(TESTING)),
                TestReports.CLOCK));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString()));
        return cl.execute(all.toArray(String[]::new));
    }

    @Test
    void textPutsTheVerdictFirstThenTheTableFailuresAndBlockers() throws Exception {
        assertThat(run()).isEqualTo(1);
        String text = out.toString();
        assertThat(opened).containsExactly(dir.resolve("received"));
        assertThat(text.lines().toList())
                .containsSubsequence(
                        "example.com: not ready for enforce",
                        "  evidence: 2 days in testing (2 needed), 2 organisations (2 needed), 2 reports",
                        "  blocker: failures: Microsoft Corporation on 2026-03-10: 2 x starttls-not-supported at"
                                + " mx2.example.com (192.0.2.2): no TLS");
        assertThat(text)
                .contains("  2026-03-09        120          0  Google Inc.")
                .contains("  2026-03-10         50          2  Microsoft Corporation  starttls-not-supported=2")
                .contains("    sts Microsoft Corporation on 2026-03-10: 2 x starttls-not-supported");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void jsonIsOneObjectWithTheSameContent() throws Exception {
        assertThat(run("--json", "--domain", "Example.COM.")).isEqualTo(1);
        JsonNode root = new ObjectMapper().readTree(out.toString());
        assertThat(root.get("from").asText()).isEqualTo("2026-03-09");
        JsonNode domain = root.get("domains").get(0);
        assertThat(domain.get("domain").asText()).isEqualTo("example.com");
        assertThat(domain.get("verdict").get("verdict").asText()).isEqualTo("not ready for enforce");
        assertThat(domain.get("verdict").get("testing-days").asInt()).isEqualTo(2);
        assertThat(domain.get("days")).hasSize(2);
        assertThat(domain.get("days").get(0).get("successful").asLong()).isEqualTo(120);
        JsonNode failure = domain.get("failures").get(0);
        assertThat(failure.get("mx-host").asText()).isEqualTo("mx2.example.com");
        assertThat(failure.get("ip").asText()).isEqualTo("192.0.2.2");
        assertThat(failure.get("count").asLong()).isEqualTo(2);
        assertThat(failure.get("blocks-enforce").asBoolean()).isTrue();
        assertThat(domain.get("stale-senders")).isEmpty();
    }

    @Test
    void everyDomainReadyExitsZero() throws Exception {
        store = new MemoryReceivedStore(List.of(
                report("Google Inc.", "2026-03-09", sts(TESTING, 120)),
                report("Microsoft Corporation", "2026-03-10", sts(TESTING, 50))));
        assertThat(run()).isEqualTo(0);
        assertThat(out.toString()).contains("example.com: ready for enforce");
    }

    @Test
    void aDomainWithoutReportsIsNotReady() throws Exception {
        assertThat(run("--days", "2", "--domain", "other.example")).isEqualTo(1);
        assertThat(out.toString())
                .contains("other.example: not ready for enforce", "blocker: no reports in the last 2 days");
    }

    @Test
    void controlCharactersFromReportsAreNotPrinted() throws Exception {
        store = new MemoryReceivedStore(List.of(report("Evil\u001b[2J\r\nCorp", "2026-03-10", sts(TESTING, 1))));
        run();
        assertThat(out.toString()).contains("Evil?[2J??Corp").doesNotContain("\u001b");
    }

    @Test
    void badArgumentsAreRefusedWithAReason() throws Exception {
        assertThat(run("--days", "401")).isEqualTo(2);
        assertThat(err.toString()).contains("--days 401 is not 1-400");
        assertThat(run("--domain", "not a domain")).isEqualTo(2);
        assertThat(err.toString()).contains("\"not a domain\" is not a domain name");
    }
}
