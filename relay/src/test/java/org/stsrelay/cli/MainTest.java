package org.stsrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stsrelay.config.ConfigLoader;
import org.stsrelay.inbound.PasswordHasher;
import org.stsrelay.spool.FileSpool;
import picocli.CommandLine;

class MainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private static Path config(Path dir, String extra) throws Exception {
        return Files.writeString(
                dir.resolve("relay.yaml"), "spool:\n  directory: " + dir.resolve("spool") + "\n" + extra);
    }

    @Test
    void versionNamesTheProduct() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("sts-relay ");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "run",
                "queue",
                "queue list",
                "queue show",
                "queue delete",
                "hash-password",
                "check",
                "domain",
                "domain plan",
                "policy",
                "policy show",
                "policy refresh",
                "policy purge"
            })
    void everySubcommandHasHelpAndTakesConfig(String command) {
        String[] args = (command + " --help").split(" ");
        assertThat(run(args)).isZero();
        if (!command.equals("queue") && !command.equals("policy") && !command.equals("domain")) {
            assertThat(out.toString()).contains("--config=FILE");
        }
    }

    @Test
    void badConfigurationExitsWithTwoAndOneLinePerProblem(@TempDir Path dir) throws Exception {
        Path file = config(dir, "inbound:\n  max-message-size: 5XB\n  max-recipients: -1\n");
        assertThat(run("run", "--config", file.toString())).isEqualTo(2);
        assertThat(err.toString().lines())
                .containsExactly(
                        file + ": inbound.max-message-size: \"5XB\" is not a size (e.g. 50MB)",
                        file + ": inbound.max-recipients: -1 is not a whole number from 1 to 100000");
    }

    @Test
    void unknownOptionIsAUsageErrorWithExitTwo() {
        assertThat(run("queue", "list", "--jsn")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--jsn'");
    }

    @Test
    void queueListOnAnEmptySpoolPrintsAnEmptyJsonArray(@TempDir Path dir) throws Exception {
        Path file = config(dir, "");
        FileSpool.open(new ConfigLoader().load(file).spool(), new SimpleMeterRegistry(), Clock.systemUTC())
                .close();
        assertThat(run("queue", "list", "--json", "--config", file.toString())).isZero();
        assertThat(out.toString().replaceAll("\\s", "")).isEqualTo("[]");
    }

    @Test
    void queueListWithoutASpoolSaysSoInOneLine(@TempDir Path dir) throws Exception {
        assertThat(run("queue", "list", "--config", config(dir, "").toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("sts-relay: no spool at " + dir.resolve("spool") + System.lineSeparator());
    }

    @Test
    void queueDeleteRefusesSomethingThatIsNotAQueueId(@TempDir Path dir) throws Exception {
        assertThat(run(
                        "queue",
                        "delete",
                        "../../etc",
                        "--config",
                        config(dir, "").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("\"../../etc\" is not a queue id");
    }

    @Test
    void hashPasswordReadsStandardInputAndPrintsAVerifiableHash() {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream("s3cret pass\n".getBytes(StandardCharsets.UTF_8)));
            assertThat(run("hash-password", "--user", "alice")).isZero();
        } finally {
            System.setIn(saved);
        }
        String line = out.toString().trim();
        assertThat(line).startsWith("alice:$pbkdf2-sha256$");
        String hash = line.substring("alice:".length());
        assertThat(new PasswordHasher().verify("s3cret pass".toCharArray(), hash))
                .isTrue();
        assertThat(new PasswordHasher().verify("s3cret pasS".toCharArray(), hash))
                .isFalse();
    }
}
