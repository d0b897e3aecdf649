package org.stsrelay.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.config.ClusterConfig;
import org.stsrelay.world.PostgresServer;

/** The fleet database against a real PostgreSQL: migrations, the heartbeat, and an outage as a value. */
class FleetDatabaseIT {

    private static PostgresServer postgres;

    @TempDir
    static Path dir;

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

    private static FleetDatabase open(String node) throws Exception {
        Path password = postgres.writePasswordFile(dir.resolve("password-" + node));
        return FleetDatabase.open(
                new ClusterConfig.Database(
                        postgres.jdbcUrl(), PostgresServer.USER, Optional.of(password), node, Duration.ofSeconds(10)),
                new SimpleMeterRegistry());
    }

    @Test
    void migrationsApplyOnceAndHeartbeatsWriteTheNodeRow() throws Exception {
        try (FleetDatabase a = open("node-a");
                FleetDatabase b = open("node-b")) {
            assertThat(new NodeHeartbeat(a, "1.0", Clock.systemUTC()).beat()).isTrue();
            assertThat(new NodeHeartbeat(b, "1.0", Clock.systemUTC()).beat()).isTrue();
        }
        assertThat(postgres.number("SELECT count(*) FROM schema_version")).isEqualTo(SchemaMigrations.FILES.size());
        assertThat(postgres.number("SELECT count(*) FROM nodes WHERE name IN ('node-a', 'node-b')"))
                .isEqualTo(2);
    }

    @Test
    @DisplayName("a pooled connection the server ended fails no call: the call runs again on a new connection")
    void aConnectionTheServerEndedIsReplaced() throws Exception {
        try (FleetDatabase db = open("node-d")) {
            assertThat(db.call("probe", c -> c.createStatement().execute("SELECT 1")))
                    .contains(true);
            try (Connection admin = postgres.connect()) {
                admin.createStatement()
                        .execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                + " WHERE application_name = 'sts-relay node-d'");
            }
            // Within Hikari's half-second "recently used" window the pool hands out the ended connection unchecked.
            assertThat(db.call("probe", c -> c.createStatement().execute("SELECT 1")))
                    .contains(true);
            assertThat(db.reachable()).isTrue();
        }
    }

    @Test
    void anOutageIsAnEmptyResultAndTheNextCallAfterItSucceeds() throws Exception {
        try (FleetDatabase db = open("node-c")) {
            assertThat(db.call("probe", c -> c.createStatement().execute("SELECT 1")))
                    .contains(true);
            postgres.stopServer();
            try {
                assertThat(db.call("probe", c -> c.createStatement().execute("SELECT 1")))
                        .isEmpty();
                assertThat(db.reachable()).isFalse();
            } finally {
                postgres.startServer();
            }
            assertThat(db.call("probe", c -> c.createStatement().execute("SELECT 1")))
                    .contains(true);
            assertThat(db.reachable()).isTrue();
        }
    }

    @Test
    void retentionDeletesOnlyWhatNoNodeNeeds() throws Exception {
        try (FleetDatabase db = open("node-r")) {
            db.call("setup", c -> {
                        try (var s = c.createStatement()) {
                            s.execute("INSERT INTO policy_events (domain, kind, node, at) VALUES "
                                    + "('old.test', 'purge', 'n', now() - interval '401 days'), "
                                    + "('new.test', 'purge', 'n', now() - interval '399 days')");
                            s.execute("INSERT INTO tlsrpt_leases (day, node, until) VALUES "
                                    + "(current_date - 32, 'n', now()), (current_date - 30, 'n', now())");
                            s.execute("INSERT INTO tlsrpt_report_state (day, state, updated_by) VALUES "
                                    + "(current_date - 32, '{}', 'n'), (current_date, '{}', 'n')");
                            s.execute("INSERT INTO policy_fetch_claims (domain, node, until) VALUES "
                                    + "('gone.test', 'n', now() - interval '1 minute'), "
                                    + "('held.test', 'n', now() + interval '1 minute')");
                        }
                        return true;
                    })
                    .orElseThrow();
            assertThat(new FleetRetention(db, Clock.systemUTC()).run()).contains(4);
        }
        assertThat(postgres.number("SELECT count(*) FROM policy_events WHERE domain = 'new.test'"))
                .isEqualTo(1);
        assertThat(postgres.number("SELECT count(*) FROM policy_events WHERE domain = 'old.test'"))
                .isZero();
        assertThat(postgres.number("SELECT count(*) FROM tlsrpt_leases")).isEqualTo(1);
        assertThat(postgres.number("SELECT count(*) FROM tlsrpt_report_state")).isEqualTo(1);
        assertThat(postgres.number("SELECT count(*) FROM policy_fetch_claims")).isEqualTo(1);
    }
}
