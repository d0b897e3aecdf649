package org.stsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.world.Await;
import org.stsrelay.world.CertificateKind;
import org.stsrelay.world.CliResult;
import org.stsrelay.world.DeliveryAttempt;
import org.stsrelay.world.LocalWorld;
import org.stsrelay.world.MxOptions;
import org.stsrelay.world.MxServer;
import org.stsrelay.world.RelayConfigFile;
import org.stsrelay.world.RelayJar;
import org.stsrelay.world.RelayProcess;
import org.stsrelay.world.RelayQueue;
import org.stsrelay.world.SmtpTestClient;

/**
 * SIGKILL in the middle of a busy stream of deliveries, each of which is one TLS session (one message
 * per connection) and records one certificate-expired result (testing mode: delivered anyway, never
 * retried), then a restart that delivers what was left. The journal fsyncs at most once a second
 * (TlsResultJournal), so the exact claim is: with S = attempt lines already in the first run's log
 * 1.5 s before the kill, A1 = every attempt line the first run logged, A2 = every attempt line of the
 * second run once its queue is empty, the report counts C failed sessions with S + A2 <= C <= A1 + A2.
 * Below: a result older than the loss window was lost; above: a result was counted twice (e.g. a torn
 * line read twice, or a replay). The relay logs an attempt's line before it hands the attempt's result
 * to the journal, so no result can outlive its line at a kill.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TlsRptDurabilityIT {

    private static final String DOMAIN = "busy.test";
    private static final Duration LOSS_WINDOW_MARGIN = Duration.ofMillis(1500);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int WARM_UP_ATTEMPTS = 50;

    @TempDir
    Path dir;

    private LocalWorld world;
    private RelayProcess relay;
    private final Set<String> received = ConcurrentHashMap.newKeySet();

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        if (world != null) {
            world.close();
        }
    }

    @Test
    @DisplayName("RFC 8460 §4.2: after SIGKILL every result older than the 1 s loss window is counted, none twice")
    void killDuringABusyDay() throws Exception {
        world = LocalWorld.start(dir);
        MxServer mx = world.mx(
                "mx.busy.test",
                MxOptions.tls(CertificateKind.EXPIRED).discarding(),
                message -> received.addAll(message.recipients()));
        world.routes(DOMAIN, "mx.busy.test");
        world.publishPolicy(DOMAIN, "1", "testing", List.of("mx.busy.test"));
        RelayJar jar = RelayJar.located();
        // RFC 8460 §4.3 counts sessions, not messages: one message per connection makes every attempt line
        // one session, so the log can be held against the report.
        String worldYaml = world.relayYaml(
                        dir.resolve("policies"), "published", Duration.ofSeconds(1), Duration.ofSeconds(60))
                .replace("delivery:\n", "delivery:\n  max-messages-per-connection: 1\n");
        RelayConfigFile config =
                RelayConfigFile.write(dir, 1000, 100, worldYaml + TlsRptResultsIT.tlsrptYaml(dir.resolve("tlsrpt")));
        Path firstLog = dir.resolve("relay-1.log");
        relay = RelayProcess.start(jar, config, firstLog);

        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread sender = new Thread(() -> sendUntilStopped(config, accepted, sending), "busy-sender");
        sender.start();
        Await.until(
                WAIT,
                () -> attempts(relay).size() >= WARM_UP_ATTEMPTS,
                () -> "the stream never got busy: " + attempts(relay).size() + " attempts");
        int safe = attempts(relay).size();
        Instant safeAt = Instant.now();
        // Deliveries go on during the margin, so the kill lands in the middle of the stream.
        Await.until(WAIT, () -> Instant.now().isAfter(safeAt.plus(LOSS_WINDOW_MARGIN)), () -> "clock stalled");
        int beforeKill = attempts(relay).size();
        relay.kill();
        // The relay writes its log straight into the file (no pipe to drain), and kill() returns after
        // the process is gone: every line it wrote is in the file now, and no more will come.
        int firstRun = attempts(relay).size();
        sending.set(false);
        sender.join(WAIT.toMillis());
        assertThat(firstRun).as("results were still being produced at the kill").isGreaterThan(safe);
        assertThat(beforeKill).isGreaterThan(safe);

        relay = RelayProcess.start(jar, config, dir.resolve("relay-2.log"));
        Await.until(
                WAIT,
                () -> received.containsAll(accepted),
                () -> (accepted.size() - received.size()) + " accepted messages never reached the MX");
        // Messages the first run delivered but had not yet marked done are delivered again, possibly after
        // every accepted one arrived: only an empty queue means the second run has made all its attempts.
        RelayQueue queue = new RelayQueue(jar, config, dir);
        Await.until(WAIT, () -> queue.list().isEmpty(), () -> "the second run's queue never emptied");
        int secondRun = attempts(relay).size();
        relay.stop();

        long counted = failedSessions(jar, config, dir);
        assertThat(counted)
                .as(
                        "results of attempts logged %s before the kill (S=%d) plus the second run (A2=%d)",
                        LOSS_WINDOW_MARGIN, safe, secondRun)
                .isGreaterThanOrEqualTo(safe + secondRun);
        assertThat(counted)
                .as("no result counted twice: at most every attempt logged (A1=%d, A2=%d)", firstRun, secondRun)
                .isLessThanOrEqualTo(firstRun + secondRun);
        assertThat(counted)
                .as("every session counted is a TLS handshake the MX saw")
                .isLessThanOrEqualTo(mx.handshakes());
    }

    private static void sendUntilStopped(RelayConfigFile config, Set<String> accepted, AtomicBoolean sending) {
        try (SmtpTestClient client = SmtpTestClient.connect(config.smtpAddress())) {
            client.ehlo("client.test");
            for (int i = 0; sending.get(); i++) {
                String recipient = "m" + i + "@" + DOMAIN;
                byte[] content = ("Subject: " + i + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
                client.send("MAIL FROM:<sender@client.test>", List.of("RCPT TO:<" + recipient + ">"), content);
                accepted.add(recipient);
            }
        } catch (IOException killed) {
            // The relay was killed under the sender: only messages acknowledged with 250 count as accepted.
        }
    }

    private static List<DeliveryAttempt> attempts(RelayProcess relay) {
        return DeliveryAttempt.all(relay.logLines()).stream()
                .filter(a -> a.domain().equals(DOMAIN))
                .toList();
    }

    private static long failedSessions(RelayJar jar, RelayConfigFile config, Path dir) throws IOException {
        CliResult result = jar.run(
                dir,
                Duration.ofSeconds(60),
                "report",
                "preview",
                "--day",
                LocalDate.now(ZoneOffset.UTC).toString(),
                "--domain",
                DOMAIN,
                "--config",
                config.file().toString());
        assertThat(result.exitCode()).as(result.describe()).isZero();
        JsonNode policy = new ObjectMapper().readTree(result.stdoutText()).at("/policies/0");
        assertThat(policy.at("/summary/total-successful-session-count").asLong())
                .isZero();
        assertThat(policy.at("/failure-details/0/result-type").asText()).isEqualTo("certificate-expired");
        long failed = policy.at("/summary/total-failure-session-count").asLong();
        assertThat(policy.at("/failure-details/0/failed-session-count").asLong())
                .isEqualTo(failed);
        return failed;
    }
}
