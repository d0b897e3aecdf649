package org.stsrelay.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.stsrelay.config.ConfigLoader;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.control.ControlRequest;
import org.stsrelay.control.FileControlPlane;
import org.stsrelay.policy.ParseResult;
import org.stsrelay.policy.Policy;
import org.stsrelay.policy.PolicyParser;
import org.stsrelay.policy.cache.PolicyStore;
import org.stsrelay.policy.cache.StoredPolicy;
import org.stsrelay.world.PostgresServer;

/** Two relays in fleet mode: the policy stage shares its store, catches up at start and follows operators' purges. */
class FleetPolicyStageIT {

    private static final String DOMAIN = "fleet-purge.example";
    private static final String ENFORCE = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static PostgresServer postgres;

    @TempDir
    Path directory;

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

    private RelayConfig config(String node) throws Exception {
        Path home = Files.createDirectories(directory.resolve(node));
        Path password = postgres.writePasswordFile(home.resolve("password"));
        Path file = Files.writeString(home.resolve("relay.yaml"), """
                hostname: %s.test
                inbound:
                  listen: ["127.0.0.1:0"]
                  allowed-networks: ["127.0.0.0/8"]
                spool:
                  directory: "%s"
                metrics:
                  listen: "127.0.0.1:0"
                dns:
                  servers: ["127.0.0.1:9"]
                mta-sts:
                  store-directory: "%s"
                tlsrpt:
                  directory: "%s"
                cluster:
                  database: "%s"
                  user: "%s"
                  password-file: "%s"
                  node-name: "%s"
                """.formatted(
                        node,
                        home.resolve("spool"),
                        home.resolve("policies"),
                        home.resolve("tlsrpt"),
                        postgres.jdbcUrl(),
                        PostgresServer.USER,
                        password,
                        node));
        return new ConfigLoader().load(file);
    }

    private static void storeLocally(RelayConfig config, Instant validatedAt) throws Exception {
        ParseResult.Valid valid = (ParseResult.Valid) PolicyParser.parse(ENFORCE);
        PolicyStore.files(config.mtaSts().storeDirectory())
                .save(new StoredPolicy(new Policy(DOMAIN, "one", valid.document(), validatedAt), validatedAt));
    }

    private static boolean stored(RelayConfig config) {
        try {
            return PolicyStore.files(config.mtaSts().storeDirectory())
                    .load(DOMAIN)
                    .isPresent();
        } catch (Exception unreadable) {
            throw new AssertionFailedError("cannot read the store", unreadable);
        }
    }

    private static long rows() {
        return postgres.number("SELECT count(*) FROM policies WHERE domain = '" + DOMAIN + "'");
    }

    private static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionFailedError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    @Test
    @DisplayName("RFC 8461 §10.3: a purge requested on one relay removes the policy from the fleet and every relay")
    void purgeOnOneRelayReachesTheOther() throws Exception {
        RelayConfig a = config("stage-a");
        RelayConfig b = config("stage-b");
        Instant validated = Instant.now().minus(Duration.ofMinutes(1));
        storeLocally(a, validated);
        storeLocally(b, validated);
        try (RelayRuntime relayA = RelayRuntime.start(a, Clock.systemUTC());
                RelayRuntime relayB = RelayRuntime.start(b, Clock.systemUTC())) {
            eventually("the start's catch-up to share the local policy", () -> rows() == 1);
            ControlRequest purge = new ControlRequest.PurgePolicy(DOMAIN);
            FileControlPlane planeA = FileControlPlane.ofSpool(a.spool().directory());
            planeA.submit(purge);
            assertThat(planeA.awaitApplied(purge, WAIT)).isTrue();
            assertThat(stored(a)).isFalse();
            assertThat(rows()).isZero();
            eventually("relay b to apply the purge", () -> !stored(b));
            assertThat(postgres.number("SELECT count(*) FROM policy_events WHERE domain = '" + DOMAIN + "'"))
                    .isEqualTo(1);
        }
    }
}
