package org.stsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.world.CliResult;
import org.stsrelay.world.QueueEntry;
import org.stsrelay.world.RelayConfigFile;
import org.stsrelay.world.RelayJar;
import org.stsrelay.world.RelayProcess;
import org.stsrelay.world.RelayQueue;
import org.stsrelay.world.SmtpReply;
import org.stsrelay.world.SmtpTestClient;
import org.stsrelay.world.SpooledMessage;

/** The operator- and client-visible contract of the running relay, one promise per test. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RelayContractIT {

    @TempDir
    static Path relayDir;

    private static RelayJar jar;
    private static RelayProcess relay;
    private static RelayQueue queue;

    @BeforeAll
    static void startRelay() {
        jar = RelayJar.located();
        RelayConfigFile config = RelayConfigFile.write(relayDir);
        relay = RelayProcess.start(jar, config, relayDir.resolve("relay.log"));
        queue = new RelayQueue(jar, config, relayDir);
    }

    @AfterAll
    static void stopRelay() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    @DisplayName("RFC 5321 §4.1.1.1: the greeting is 220 and EHLO advertises the promised extensions")
    void ehloAdvertisesExtensions() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.connect(relay.config().smtpAddress())) {
            assertThat(client.greeting().code())
                    .as("greeting %s", client.greeting())
                    .isEqualTo(220);
            SmtpReply ehlo = client.ehlo("client.e2e.test");
            for (String extension :
                    List.of("PIPELINING", "SIZE", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "DSN")) {
                assertThat(ehlo.advertises(extension))
                        .as("EHLO reply %s advertises %s", ehlo, extension)
                        .isTrue();
            }
        }
    }

    @Test
    @DisplayName("a message is queued with 250 2.0.0, listed with its envelope and shown with one Received: prepended")
    void acceptedMessageIsListedAndShown() throws IOException {
        byte[] content = ("From: <a@example.test>\r\nTo: <b@example.test>\r\nSubject: contract\r\n\r\n"
                        + "..a stuffed line\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        String id;
        try (SmtpTestClient client = SmtpTestClient.connect(relay.config().smtpAddress())) {
            client.ehlo("client.e2e.test");
            id = client.send("MAIL FROM:<a@example.test>", List.of("RCPT TO:<b@example.test>"), content);
        }
        QueueEntry entry = queue.list().stream()
                .filter(e -> e.id().equals(id))
                .findFirst()
                .orElseThrow(() -> relay.annotate(new AssertionError(id + " is not in queue list")));
        assertThat(entry.sender()).isEqualTo("a@example.test");
        assertThat(entry.recipients()).containsExactly("b@example.test");
        byte[] shown = queue.show(id);
        assertThat(entry.size()).as("listed size is the shown content's octets").isEqualTo(shown.length);
        SpooledMessage spooled = SpooledMessage.parse(shown);
        assertThat(spooled.received()).contains(RelayConfigFile.HOSTNAME);
        assertThat(new String(spooled.original(), StandardCharsets.US_ASCII))
                .isEqualTo(new String(content, StandardCharsets.US_ASCII));
    }

    @Test
    @DisplayName("/metrics exposes the spool commit histogram, fsync and commit counters, and accepted messages")
    void metricsExposeSpoolAndInbound() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.connect(relay.config().smtpAddress())) {
            client.ehlo("client.e2e.test");
            client.send(
                    "MAIL FROM:<m@example.test>",
                    List.of("RCPT TO:<n@example.test>"),
                    "Subject: metrics\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        String metrics = relay.metrics();
        assertThat(metrics)
                .containsPattern("(?m)^sts_relay_spool_commit_seconds_bucket\\{.*le=\"[^\"]+\".*\\} [0-9.eE+]+$")
                .containsPattern("(?m)^sts_relay_spool_fsync_total(\\{.*\\})? [1-9][0-9.eE+]*$")
                .containsPattern("(?m)^sts_relay_spool_commits_total\\{.*result=\"committed\".*\\} [1-9][0-9.eE+]*$")
                .containsPattern("(?m)^sts_relay_inbound_messages_total\\{.*result=\"accepted\".*\\} [1-9][0-9.eE+]*$");
    }

    @Test
    @DisplayName("a bad configuration stops start-up with exit code 2 and one line per problem, naming the key")
    void badConfigurationExitsWithTwo() throws IOException {
        Path config = relayDir.resolve("bad.yaml");
        Files.writeString(config, """
                hostname: relay.test
                inbound:
                  listen: ["127.0.0.1:notaport"]
                  no-such-key: 1
                """);
        CliResult result = jar.run(relayDir, Duration.ofSeconds(60), "run", "--config", config.toString());
        String output = result.stdoutText() + result.stderr();
        assertThat(result.exitCode()).as(result.describe()).isEqualTo(2);
        assertThat(output).as(result.describe()).contains("inbound.listen").contains("inbound.no-such-key");
        assertThat(output.lines().filter(line -> line.contains("inbound.")).count())
                .as(result.describe())
                .isGreaterThanOrEqualTo(2);
    }
}
