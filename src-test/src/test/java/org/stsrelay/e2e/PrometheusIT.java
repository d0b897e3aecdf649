package org.stsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.policy.testing.RequiredTools;
import org.stsrelay.world.FreePorts;
import org.stsrelay.world.RelayConfigFile;
import org.stsrelay.world.RelayJar;
import org.stsrelay.world.RelayProcess;
import org.stsrelay.world.SmtpTestClient;

/**
 * deploy/prometheus/ against a real Prometheus: promtool accepts the rules and the derived config, and a
 * Prometheus scraping a live relay sees its counters, the target up, and the alert rule groups loaded.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PrometheusIT {

    private static final Path REPO =
            Path.of(System.getProperty("relay.repo", "..")).toAbsolutePath().normalize();
    private static final Path PROM_DIR = REPO.resolve("deploy/prometheus");
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final Duration SCRAPE_WAIT = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 250;
    private static final int MESSAGES = 3;

    @TempDir
    static Path dir;

    private static RelayProcess relay;
    private static Process prometheus;
    private static Path prometheusLog;
    private static Path promConfig;
    private static String relayTarget;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void startRelayAndWriteConfig() throws IOException {
        RequiredTools.assume(
                "prometheus",
                Files.isExecutable(PROMETHEUS),
                PROMETHEUS + " not installed (apt-get install prometheus)");
        RequiredTools.assume(
                "prometheus", Files.isExecutable(PROMTOOL), PROMTOOL + " not installed (apt-get install prometheus)");

        // Delivery on, DNS dead: every message makes one quick, deferred delivery attempt, so the
        // delivery counters exist for Prometheus to scrape, and nothing leaves this machine.
        RelayConfigFile config = RelayConfigFile.write(dir, 1000, 100, """
                dns:
                  servers: ["127.0.0.1:9"]
                  timeout: 200ms
                  retries: 0
                """);
        relay = RelayProcess.start(RelayJar.located(), config, dir.resolve("relay.log"));
        for (int i = 0; i < MESSAGES; i++) {
            try (SmtpTestClient client = SmtpTestClient.connect(config.smtpAddress())) {
                client.greeting();
                client.ehlo("client.test");
                client.send(
                        "MAIL FROM:<a@example.test>",
                        List.of("RCPT TO:<b@example.test>"),
                        ("From: <a@example.test>\r\nSubject: prometheus " + i + "\r\n\r\nhello\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                client.quit();
            }
        }

        relayTarget = "127.0.0.1:" + config.metricsPort();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectNode prom =
                (ObjectNode) yaml.readTree(PROM_DIR.resolve("prometheus.yml").toFile());
        ObjectNode global = (ObjectNode) prom.get("global");
        global.put("scrape_interval", "1s");
        global.put("evaluation_interval", "1s");
        ArrayNode rules = prom.putArray("rule_files");
        rules.add(PROM_DIR.resolve("alerts.yml").toString());
        JsonNode scrapes = prom.get("scrape_configs");
        assertThat(scrapes).as("scrape_configs in prometheus.yml").isNotNull();
        int replaced = 0;
        for (JsonNode job : scrapes) {
            if ("sts-relay".equals(job.path("job_name").asText())) {
                ((ObjectNode) job).put("scrape_interval", "1s");
                for (JsonNode sc : job.path("static_configs")) {
                    ((ObjectNode) sc).putArray("targets").add(relayTarget);
                    replaced++;
                }
            }
        }
        assertThat(replaced)
                .as("static_configs of job sts-relay in prometheus.yml")
                .isEqualTo(1);
        promConfig = dir.resolve("prometheus.yml");
        yaml.writeValue(promConfig.toFile(), prom);
    }

    @AfterAll
    static void stop() {
        if (prometheus != null && prometheus.isAlive()) {
            prometheus.destroy();
            try {
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                prometheus.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (relay != null) {
            relay.stop();
        }
    }

    @Test
    @DisplayName("promtool check rules accepts deploy/prometheus/alerts.yml")
    void rulesCheck() throws Exception {
        assertPromtool("check", "rules", PROM_DIR.resolve("alerts.yml").toString());
    }

    @Test
    @DisplayName("promtool test rules: the unit tests in deploy/prometheus/alerts.test.yml pass")
    void rulesUnitTests() throws Exception {
        assertPromtool("test", "rules", PROM_DIR.resolve("alerts.test.yml").toString());
    }

    @Test
    @DisplayName("promtool check config accepts the config derived from deploy/prometheus/prometheus.yml")
    void configCheck() throws Exception {
        assertPromtool("check", "config", promConfig.toString());
    }

    @Test
    @DisplayName("Prometheus scrapes the relay: inbound counter >= 3, target up, alert rule groups loaded")
    void prometheusScrapesRelay() throws Exception {
        int port = FreePorts.next();
        prometheusLog = dir.resolve("prometheus.log");
        prometheus = new ProcessBuilder(
                        PROMETHEUS.toString(),
                        "--config.file=" + promConfig,
                        "--storage.tsdb.path=" + dir.resolve("tsdb"),
                        "--web.listen-address=127.0.0.1:" + port)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(prometheusLog.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        URI base = URI.create("http://127.0.0.1:" + port);

        String accepted = "sts_relay_inbound_messages_total{result=\"accepted\"}";
        double value = pollQueryMax(base, accepted, v -> v >= MESSAGES);
        assertThat(value).as(accepted + " in Prometheus" + prometheusTail()).isGreaterThanOrEqualTo(MESSAGES);

        String deferred = "sts_relay_delivery_attempts_total{outcome=\"deferred\"}";
        double attempts = pollQueryMax(base, deferred, v -> v >= MESSAGES);
        assertThat(attempts).as(deferred + " in Prometheus" + prometheusTail()).isGreaterThanOrEqualTo(MESSAGES);

        String up = "up{job=\"sts-relay\",instance=\"" + relayTarget + "\"}";
        double upValue = pollQueryMax(base, up, v -> v == 1);
        assertThat(upValue).as(up + prometheusTail()).isEqualTo(1.0);

        Set<String> expectedGroups = new TreeSet<>();
        Set<String> expectedAlerts = new TreeSet<>();
        JsonNode alerts = new ObjectMapper(new YAMLFactory())
                .readTree(PROM_DIR.resolve("alerts.yml").toFile());
        for (JsonNode g : alerts.path("groups")) {
            expectedGroups.add(g.path("name").asText());
            g.path("rules").forEach(r -> expectedAlerts.add(r.path("alert").asText()));
        }
        assertThat(expectedGroups).isNotEmpty();
        JsonNode rules = getJson(base.resolve("/api/v1/rules?type=alert"));
        assertThat(rules).as("/api/v1/rules" + prometheusTail()).isNotNull();
        assertThat(rules.path("status").asText()).isEqualTo("success");
        Set<String> groups = new TreeSet<>();
        Set<String> loadedAlerts = new TreeSet<>();
        for (JsonNode g : rules.path("data").path("groups")) {
            groups.add(g.path("name").asText());
            g.path("rules").forEach(r -> loadedAlerts.add(r.path("name").asText()));
        }
        assertThat(groups)
                .as("rule groups loaded by Prometheus" + prometheusTail())
                .containsAll(expectedGroups);
        assertThat(loadedAlerts).as("alert rules loaded by Prometheus").containsAll(expectedAlerts);
    }

    /** Polls an instant query until {@code done} holds for the max sample value, or the wait ends; NaN if none. */
    private static double pollQueryMax(URI base, String query, java.util.function.DoublePredicate done)
            throws InterruptedException {
        URI uri = base.resolve("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + SCRAPE_WAIT.toNanos();
        double best = Double.NaN;
        while (System.nanoTime() < deadline) {
            assertThat(prometheus.isAlive())
                    .as("prometheus exited" + prometheusTail())
                    .isTrue();
            JsonNode body = getJson(uri);
            if (body != null && "success".equals(body.path("status").asText())) {
                for (JsonNode r : body.path("data").path("result")) {
                    double v = Double.parseDouble(r.path("value").path(1).asText("NaN"));
                    if (Double.isNaN(best) || v > best) {
                        best = v;
                    }
                }
                if (!Double.isNaN(best) && done.test(best)) {
                    return best;
                }
            }
            Thread.sleep(POLL_MILLIS);
        }
        return best;
    }

    private static JsonNode getJson(URI uri) throws InterruptedException {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(2))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (IOException e) {
            return null; // not listening yet
        }
    }

    private static void assertPromtool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(PROMTOOL.toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(command + " finished").isTrue();
        assertThat(p.exitValue()).as(command + " exit code; output:\n" + out).isZero();
    }

    private static String prometheusTail() {
        if (prometheusLog == null || !Files.exists(prometheusLog)) {
            return "";
        }
        try {
            List<String> lines = Files.readAllLines(prometheusLog, StandardCharsets.UTF_8);
            return "\n--- prometheus log ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }
}
