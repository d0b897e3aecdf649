package org.stsrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.config.SpoolConfig;
import org.stsrelay.spool.DeliveryState;
import org.stsrelay.spool.Envelope;
import org.stsrelay.spool.FileSpool;
import org.stsrelay.spool.IncomingMessage;
import org.stsrelay.spool.QueueId;
import org.stsrelay.spool.RecipientState;
import picocli.CommandLine;

class QueueCommandTest {

    private static final Instant NEXT = Instant.parse("2026-03-02T10:05:00Z");

    @TempDir
    Path dir;

    private Path config;
    private QueueId id;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void spoolWithOneDeferredRecipient() throws Exception {
        config = Files.writeString(dir.resolve("relay.yaml"), "spool:\n  directory: " + dir.resolve("spool") + "\n");
        try (FileSpool spool = FileSpool.open(
                new SpoolConfig(dir.resolve("spool"), 1 << 20, 1 << 16),
                new SimpleMeterRegistry(),
                Clock.systemUTC())) {
            id = spool.nextId();
            Envelope envelope = new Envelope(
                    id,
                    "alice@example.org",
                    List.of(Envelope.Recipient.of("bob@example.com"), Envelope.Recipient.of("carol@example.net")),
                    Envelope.MailParams.none(),
                    new Envelope.ClientInfo(
                            "192.0.2.1", "client", Optional.empty(), Optional.empty(), Optional.empty()),
                    Instant.parse("2026-03-02T10:00:00Z"));
            IncomingMessage content = spool.newMessage();
            content.append(Unpooled.copiedBuffer("Subject: x\r\n\r\nx\r\n", StandardCharsets.US_ASCII))
                    .toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            spool.commit(envelope, content).toCompletableFuture().get(5, TimeUnit.SECONDS);
            spool.recordProgress(
                            id,
                            DeliveryState.initial(2)
                                    .with(
                                            0,
                                            new RecipientState(
                                                    RecipientState.Status.PENDING,
                                                    1,
                                                    Optional.of(NEXT),
                                                    Optional.of("451 4.4.1 connection refused"))))
                    .toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
        }
    }

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void listJsonKeepsTheExistingKeysAndAddsStatesAndHeld() throws Exception {
        assertThat(run("queue", "list", "--json", "--config", config.toString()))
                .isZero();
        JsonNode message = new ObjectMapper().readTree(out.toString()).get(0);
        assertThat(message.get("id").asText()).isEqualTo(id.value());
        assertThat(message.get("sender").asText()).isEqualTo("alice@example.org");
        assertThat(message.get("recipients")).hasSize(2);
        assertThat(message.has("size") && message.has("arrival") && message.has("client"))
                .isTrue();
        assertThat(message.get("held").asBoolean()).isFalse();
        JsonNode bob = message.get("states").get(0);
        assertThat(bob.get("recipient").asText()).isEqualTo("bob@example.com");
        assertThat(bob.get("state").asText()).isEqualTo("deferred");
        assertThat(bob.get("attempts").asInt()).isEqualTo(1);
        assertThat(bob.get("next-attempt").asText()).isEqualTo(NEXT.toString());
        assertThat(bob.get("last-error").asText()).isEqualTo("451 4.4.1 connection refused");
        JsonNode carol = message.get("states").get(1);
        assertThat(carol.get("state").asText()).isEqualTo("queued");
        assertThat(carol.get("next-attempt").isNull()).isTrue();
        assertThat(carol.get("last-error").isNull()).isTrue();
    }

    @Test
    void showToDirectoryWritesEachMessageAndNamesTheMissing() throws Exception {
        Path export = Files.createDirectory(dir.resolve("export"));
        String missing = "000000000000FFFF";

        int exit = run(
                "queue",
                "show",
                "--to-directory",
                export.toString(),
                id.value(),
                missing,
                "--config",
                config.toString());

        assertThat(exit).isEqualTo(1);
        String content = Files.readString(export.resolve(id.value() + ".eml"), StandardCharsets.US_ASCII);
        assertThat(content).isEqualTo("Subject: x\r\n\r\nx\r\n");
        assertThat(export.resolve(missing + ".eml")).doesNotExist();
        assertThat(err.toString()).contains("no message " + missing);
    }

    @Test
    void showOfSeveralIdsNeedsADirectory() {
        assertThat(run("queue", "show", id.value(), id.value(), "--config", config.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("several ids need --to-directory");
    }

    @Test
    void holdOfADomainMarksItsMessagesHeldUntilReleased() throws Exception {
        assertThat(run("queue", "hold", "Example.COM", "--config", config.toString()))
                .isZero();
        assertThat(out.toString())
                .contains("delivery to example.com held", "no relay is running: applied when it next starts");
        assertThat(dir.resolve("spool/control/hold_example.com.request")).hasContent("hold example.com");
        run("queue", "list", "--config", config.toString());
        assertThat(out.toString())
                .contains("delivery to example.com is held")
                .contains(id + "  2026-03-02T10:00:00Z")
                .contains(
                        "<bob@example.com>  deferred  attempts 1  next 2026-03-02T10:05:00Z  451 4.4.1 connection refused")
                .contains("<carol@example.net>  queued");

        assertThat(run("queue", "release", "example.com", "--config", config.toString()))
                .isZero();
        assertThat(out.toString()).contains("delivery to example.com released");
        assertThat(dir.resolve("spool/control/hold_example.com.request")).doesNotExist();
        assertThat(dir.resolve("spool/control/release_example.com.request")).exists();
    }

    @Test
    void holdAllAndFlushLeaveRequests() throws Exception {
        assertThat(run("queue", "hold", "--config", config.toString())).isZero();
        assertThat(dir.resolve("spool/control/hold_all.request")).hasContent("hold *");
        run("queue", "list", "--json", "--config", config.toString());
        assertThat(out.toString()).contains("\"held\" : true");
        assertThat(run("queue", "flush", "--config", config.toString())).isZero();
        assertThat(dir.resolve("spool/control/flush_all.request")).hasContent("flush *");
        assertThat(run("queue", "release", "--config", config.toString())).isZero();
        assertThat(out.toString()).contains("delivery released");
    }

    @Test
    void refusesSomethingThatIsNotADomain() {
        assertThat(run("queue", "hold", "../etc", "--config", config.toString()))
                .isEqualTo(Main.EXIT_CONFIG);
        assertThat(err.toString()).contains("is not a domain name");
    }
}
