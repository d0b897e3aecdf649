package org.stsrelay.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.config.ClusterConfig;
import org.stsrelay.world.CliResult;
import org.stsrelay.world.FreePorts;
import org.stsrelay.world.PostgresServer;
import org.stsrelay.world.RelayConfigFile;
import org.stsrelay.world.RelayJar;

/** {@code sts-relay cluster status} run from the relay jar against a real PostgreSQL, and against none. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ClusterStatusIT {

    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);

    private static PostgresServer postgres;
    private static RelayJar jar;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startPostgresAndFillTheFleet() throws Exception {
        postgres = PostgresServer.start();
        jar = RelayJar.located();
        Path password = postgres.writePasswordFile(dir.resolve("password"));
        ClusterConfig.Database config = new ClusterConfig.Database(
                postgres.jdbcUrl(), PostgresServer.USER, Optional.of(password), "filler", Duration.ofSeconds(10));
        // Rows as the nodes would write them; FleetDatabase applies the migrations first, as a node does.
        try (FleetDatabase db = FleetDatabase.open(config, new SimpleMeterRegistry())) {
            db.callOrThrow(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO nodes VALUES"
                            + " ('relay-a', '1.4.0', now() - interval '2 hours', now() - interval '4 seconds',"
                            + "  now() - interval '7 seconds', now() - interval '8 seconds', 17),"
                            + " ('relay-b', '1.3.9', now() - interval '3 hours', now() - interval '5 minutes',"
                            + "  NULL, NULL, 0)");
                    String today = "(now() AT TIME ZONE 'UTC')::date";
                    s.execute("INSERT INTO tlsrpt_batches (node, day, from_offset, to_offset, results, payload) VALUES"
                            + " ('relay-a', " + today + ", 0, 100, 30, '[]'),"
                            + " ('relay-a', " + today + ", 100, 180, 12, '[]'),"
                            + " ('relay-a', " + today + " - 1, 0, 500, 99, '[]')");
                    s.execute("INSERT INTO policies VALUES"
                            + " ('a.example', '1', E'version: STSv1\\nmode: enforce\\nmx: mx.a.example\\nmax_age: 86400\\n',"
                            + "  now(), now(), now() + interval '1 day', 'relay-a'),"
                            + " ('b.example', '1', E'version: STSv1\\r\\nmode: enforce\\r\\nmx: mx.b.example\\r\\n',"
                            + "  now(), now(), now() - interval '1 hour', 'relay-b'),"
                            + " ('c.example', '1', E'version: STSv1\\nmode: testing\\nmx: mx.c.example\\n',"
                            + "  now(), now(), now() + interval '1 day', 'relay-a')");
                }
                return null;
            });
        }
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static Path config(String name, String clusterYaml) throws Exception {
        Path directory = Files.createDirectories(dir.resolve(name));
        return RelayConfigFile.write(directory, 1000, 100, """
                        dns:
                          servers: ["127.0.0.1:9"]
                        delivery:
                          paused: true
                        """ + clusterYaml).file();
    }

    private static Path fleetConfig(String name, String url) throws Exception {
        return config(name, """
                cluster:
                  database: "%s"
                  user: %s
                  password-file: "%s"
                  node-name: cli-host
                """.formatted(url, PostgresServer.USER, dir.resolve("password")));
    }

    private static CliResult status(Path config, String... more) {
        String[] args = new String[3 + more.length];
        args[0] = "cluster";
        args[1] = "status";
        args[2] = "--config=" + config;
        System.arraycopy(more, 0, args, 3, more.length);
        return jar.run(dir, CLI_TIMEOUT, args);
    }

    @Test
    @DisplayName("cluster status shows each node, its shipments today, silence, and the policy counts")
    void statusShowsTheFleet() throws Exception {
        CliResult result = status(fleetConfig("fleet", postgres.jdbcUrl()));
        assertThat(result.exitCode()).as(result.describe()).isZero();
        String out = result.stdoutText();
        assertThat(out)
                .contains("fleet database: " + postgres.jdbcUrl() + " (reachable, schema version 2)")
                .contains("nodes: 2 seen, 1 silent (no heartbeat for 30 s)")
                .contains("policies: 3 stored, 2 enforce, 1 expired");
        String a = out.lines().filter(l -> l.startsWith("relay-a ")).findFirst().orElseThrow();
        assertThat(a.split("\\s+")).startsWith("relay-a", "1.4.0", "up").endsWith("17", "42", "2");
        String b = out.lines().filter(l -> l.startsWith("relay-b ")).findFirst().orElseThrow();
        assertThat(b.split("\\s+")).startsWith("relay-b", "1.3.9", "silent").endsWith("never", "never", "0", "0", "0");
    }

    @Test
    @DisplayName("cluster status --json gives the same as JSON")
    void statusAsJson() throws Exception {
        CliResult result = status(fleetConfig("fleet-json", postgres.jdbcUrl()), "--json");
        assertThat(result.exitCode()).as(result.describe()).isZero();
        JsonNode json = new ObjectMapper().readTree(result.stdout());
        assertThat(json.path("reachable").asBoolean()).isTrue();
        assertThat(json.path("nodes")).hasSize(2);
        assertThat(json.path("nodes").get(0).path("shipped-results-today").asLong())
                .isEqualTo(42);
        assertThat(json.path("nodes").get(1).path("silent").asBoolean()).isTrue();
        assertThat(json.path("policies").path("expired").asLong()).isEqualTo(1);
    }

    @Test
    @DisplayName("an unreachable database: one clear line, exit 1, no stack trace")
    void unreachableDatabaseIsOneLine() throws Exception {
        String closed = "jdbc:postgresql://127.0.0.1:" + FreePorts.next() + "/stsrelay";
        CliResult result = status(fleetConfig("closed", closed));
        assertThat(result.exitCode()).as(result.describe()).isEqualTo(1);
        assertThat(result.stderr())
                .contains("sts-relay: cannot use the fleet database " + closed + ": ")
                .contains("refused")
                .doesNotContain("\tat ")
                .doesNotContain("Exception in");
        assertThat(result.stdoutText()).isEmpty();
    }

    @Test
    @DisplayName("a single-node configuration says so and exits 0")
    void singleNode() throws Exception {
        CliResult result = status(config("single", ""));
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdoutText()).isEqualTo("single-node: cluster.database is not set\n");
    }
}
