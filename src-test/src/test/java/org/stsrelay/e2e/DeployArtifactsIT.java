package org.stsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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

/** The files in deploy/: metric names against a live relay, manifests parse, the unit verifies. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DeployArtifactsIT {

    private static final Path REPO =
            Path.of(System.getProperty("relay.repo", "..")).toAbsolutePath().normalize();
    private static final Path DEPLOY = REPO.resolve("deploy");
    private static final Pattern METRIC = Pattern.compile(
            "(?<![\\w:\"$.])([a-zA-Z_:][a-zA-Z0-9_:]*)(?=\\s*[{\\[)]|\\s*$|\\s+[-+*/<>=!]|\\s+(and|or|unless)\\b)");
    private static final Set<String> PROMQL = Set.of(
            "sum",
            "rate",
            "increase",
            "delta",
            "max",
            "min",
            "avg",
            "count",
            "by",
            "without",
            "and",
            "or",
            "unless",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "histogram_quantile",
            "irate",
            "topk",
            "bottomk",
            "abs",
            "absent",
            "up",
            "time",
            "vector",
            "scalar",
            "offset",
            "bool");

    @TempDir
    static Path dir;

    private static RelayProcess relay;
    private static Set<String> exported;

    @BeforeAll
    static void startRelayAndScrape() throws IOException {
        RelayConfigFile config = RelayConfigFile.write(dir);
        relay = RelayProcess.start(RelayJar.located(), config, dir.resolve("relay.log"));
        try (SmtpTestClient client = SmtpTestClient.connect(config.smtpAddress())) {
            client.greeting();
            client.ehlo("client.test");
            client.send(
                    "MAIL FROM:<a@example.test>",
                    List.of("RCPT TO:<b@example.test>"),
                    "From: <a@example.test>\r\nSubject: deploy\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII));
            client.quit();
        }
        exported = relay.metrics()
                .lines()
                .filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("[{ ]", 2)[0])
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @AfterAll
    static void stop() {
        if (relay != null) {
            relay.stop();
        }
    }

    @Test
    @DisplayName("every metric name in the alert rules and the dashboard is one the relay exports")
    void metricNamesExist() throws IOException {
        List<String> exprs = new ArrayList<>();
        for (JsonNode doc : yamlDocuments(DEPLOY.resolve("prometheus/alerts.yml"))) {
            doc.findValues("expr").forEach(e -> exprs.add(e.asText()));
        }
        JsonNode dashboard = new ObjectMapper()
                .readTree(DEPLOY.resolve("grafana/sts-relay.json").toFile());
        dashboard.findValues("expr").forEach(e -> exprs.add(e.asText()));
        assertThat(exprs).hasSizeGreaterThan(10);

        // Fleet meters exist only with a cluster database, counters only after their first event: those are
        // checked against the names the relay's source registers.
        Set<String> registered = registeredMeterNames();
        List<String> unknown = new ArrayList<>();
        Set<String> checked = new TreeSet<>();
        for (String expr : exprs) {
            Matcher m = METRIC.matcher(expr.replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " ")
                    .replaceAll("\\{[^}]*}", "{}")
                    .replaceAll("\\[[^]]*]", "[]"));
            while (m.find()) {
                String name = m.group(1);
                if (PROMQL.contains(name) || name.matches("\\d.*")) {
                    continue;
                }
                checked.add(name);
                if (exported.contains(name)
                        || exported.contains(name.replaceAll("_(bucket|sum|count)$", "_bucket"))
                        || registered.contains(name.replaceAll("_(total|seconds|bytes)$", ""))) {
                    continue;
                }
                unknown.add(name + " (in: " + expr + ")");
            }
        }
        assertThat(checked)
                .contains(
                        "sts_relay_queue_oldest_age_seconds",
                        "sts_policy_fetch_failures_total",
                        "sts_relay_inbound_messages_total",
                        "sts_relay_delivery_attempts_total",
                        "sts_relay_cluster_shipment_lag_seconds",
                        "sts_relay_cluster_database_reachable",
                        "sts_relay_cluster_database_errors_total");
        assertThat(unknown)
                .as("metric names not in the live /metrics %s", exported)
                .isEmpty();
    }

    @Test
    @DisplayName("every YAML file under deploy/ parses; Kubernetes manifests are complete")
    void yamlParses() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(DEPLOY)) {
            files = walk.filter(p -> p.toString().matches(".*\\.ya?ml$"))
                    .sorted()
                    .toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(7);
        JsonNode statefulSet = null;
        JsonNode secret = null;
        JsonNode relayYaml = null;
        for (Path file : files) {
            List<JsonNode> docs = yamlDocuments(file);
            assertThat(docs).as(file.toString()).isNotEmpty();
            if (file.startsWith(DEPLOY.resolve("kubernetes"))) {
                for (JsonNode doc : docs) {
                    assertThat(doc.path("apiVersion").asText())
                            .as(file + " apiVersion")
                            .isNotEmpty();
                    assertThat(doc.path("kind").asText()).as(file + " kind").isNotEmpty();
                    assertThat(doc.path("metadata").path("name").asText())
                            .as(file + " metadata.name")
                            .isNotEmpty();
                    if (doc.path("kind").asText().equals("StatefulSet")) {
                        statefulSet = doc;
                    }
                    if (doc.path("kind").asText().equals("Secret")) {
                        secret = doc;
                    }
                    if (doc.path("kind").asText().equals("ConfigMap")) {
                        relayYaml = new ObjectMapper(new YAMLFactory())
                                .readTree(doc.path("data").path("relay.yaml").asText());
                    }
                }
            }
        }
        assertThat(statefulSet).isNotNull();
        assertThat(statefulSet.path("spec").path("volumeClaimTemplates").size()).isPositive();
        JsonNode container = statefulSet
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0);
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/readyz");
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/healthz");
        assertFleet(statefulSet, container, secret, relayYaml);
    }

    /** The manifests run a fleet: several replicas, one database, its password from the Secret, not the configmap. */
    private static void assertFleet(JsonNode statefulSet, JsonNode container, JsonNode secret, JsonNode relayYaml) {
        assertThat(statefulSet.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(secret).as("a Secret in deploy/kubernetes").isNotNull();
        assertThat(relayYaml).as("relay.yaml in the ConfigMap").isNotNull();
        assertThat(relayYaml.path("cluster").path("database").asText()).startsWith("jdbc:postgresql://postgres:");
        assertThat(relayYaml.path("cluster").has("password-file")).isFalse();
        JsonNode password = null;
        for (JsonNode env : container.path("env")) {
            if (env.path("name").asText().equals("STS_RELAY_DB_PASSWORD")) {
                password = env.path("valueFrom").path("secretKeyRef");
            }
        }
        assertThat(password).as("STS_RELAY_DB_PASSWORD from a secretKeyRef").isNotNull();
        assertThat(password.path("name").asText())
                .isEqualTo(secret.path("metadata").path("name").asText());
        assertThat(secret.path("stringData").has(password.path("key").asText()))
                .as("the Secret has the key " + password.path("key"))
                .isTrue();
    }

    @Test
    @DisplayName("the Grafana dashboard is JSON with panels that query Prometheus")
    void dashboardParses() throws IOException {
        JsonNode dashboard = new ObjectMapper()
                .readTree(DEPLOY.resolve("grafana/sts-relay.json").toFile());
        assertThat(dashboard.path("schemaVersion").asInt()).isPositive();
        assertThat(dashboard.path("panels").size()).isGreaterThanOrEqualTo(6);
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("targets").size())
                    .as(panel.path("title").asText())
                    .isPositive();
            panel.path("targets")
                    .forEach(t -> assertThat(t.path("expr").asText()).isNotBlank());
        }
    }

    @Test
    @DisplayName("deploy/container/relay.yaml starts a relay (ports moved to loopback, paths in a temp dir)")
    void containerConfigStarts() throws IOException {
        Path work = Files.createDirectories(dir.resolve("container"));
        int smtp = FreePorts.next();
        int metrics = FreePorts.next();
        String yaml = Files.readString(DEPLOY.resolve("container/relay.yaml"))
                        .replace("0.0.0.0:2525", "127.0.0.1:" + smtp)
                        .replace("0.0.0.0:9464", "127.0.0.1:" + metrics)
                + "dns:\n  servers: [\"127.0.0.1:9\"]\ndelivery:\n  paused: true\n";
        assertThat(yaml).contains("127.0.0.1:" + smtp).contains("allowed-networks: [\"127.0.0.0/8\", \"::1/128\"]");
        Path file = work.resolve("relay.yaml");
        Files.writeString(file, yaml);
        RelayConfigFile config = new RelayConfigFile(file, smtp, metrics, work.resolve("data/spool"));
        try (RelayProcess container = RelayProcess.start(RelayJar.located(), config, work.resolve("relay.log"))) {
            assertThat(container.stop()).isIn(0, 143);
        }
    }

    @Test
    @DisplayName("systemd-analyze verify finds no syntax error in deploy/systemd/sts-relay.service")
    void systemdUnitVerifies() throws Exception {
        RequiredTools.assume(
                "systemd-analyze",
                Files.isExecutable(Path.of("/usr/bin/systemd-analyze")),
                "/usr/bin/systemd-analyze not installed (apt-get install systemd)");
        Process p = new ProcessBuilder(
                        "/usr/bin/systemd-analyze",
                        "verify",
                        DEPLOY.resolve("systemd/sts-relay.service").toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out)
                .doesNotContain("Unknown key")
                .doesNotContain("Unknown section")
                .doesNotContain("Invalid")
                .doesNotContain("Failed to parse");
    }

    @Test
    @DisplayName("every launcher of `sts-relay run` passes config/jvm.options, and this java accepts the file")
    void everyServerLauncherPassesTheShippedJvmOptions() throws Exception {
        Path options = REPO.resolve("config/jvm.options");
        assertThat(Files.readString(REPO.resolve("README.md")))
                .contains("java @config/jvm.options -jar relay/target/sts-relay.jar run --config config/relay.yaml");
        assertThat(Files.readString(DEPLOY.resolve("systemd/sts-relay.service")))
                .contains("install -D -m 644 config/jvm.options /etc/sts-relay/jvm.options")
                .containsPattern("(?m)^ExecStart=/usr/bin/java @/etc/sts-relay/jvm.options .*-jar .* run ");
        assertThat(Files.readString(DEPLOY.resolve("container/Dockerfile")))
                .contains("COPY config/jvm.options /etc/sts-relay/jvm.options")
                .contains("ENTRYPOINT [\"java\", \"@/etc/sts-relay/jvm.options\"");
        assertThat(Files.readString(REPO.resolve("bench/probes.sh"))).contains("java \"$(relay_jvm_options)\"");
        assertThat(RelayJar.located().serverCommand("run")).contains("@" + options);

        // An unknown or misspelt flag in the file makes the JVM refuse to start at all.
        Process java = new ProcessBuilder(RelayJar.located().java().toString(), "@" + options, "-version")
                .redirectErrorStream(true)
                .start();
        String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(out).isZero();
        assertThat(out).doesNotContain("Unrecognized").doesNotContain("Ignoring");
    }

    /** Every meter name in the relay's main source, as Prometheus spells it without its unit or _total suffix. */
    private static Set<String> registeredMeterNames() throws IOException {
        Pattern meter = Pattern.compile("\"(sts\\.[a-z0-9.]+)\"");
        Set<String> names = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(REPO.resolve("relay/src/main/java"))) {
            for (Path source :
                    sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = meter.matcher(Files.readString(source));
                while (m.find()) {
                    names.add(m.group(1).replace('.', '_').replaceAll("_(total|seconds|bytes)$", ""));
                }
            }
        }
        return names;
    }

    private static List<JsonNode> yamlDocuments(Path file) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }
}
