package org.stsrelay.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.delivery.TlsResult;
import org.stsrelay.policy.testing.FakeDns;
import org.stsrelay.policy.testing.FakeTime;
import org.stsrelay.world.PostgresServer;

/** Shipping while the fleet database is down: a value, the journal unaffected, everything shipped once it returns. */
class FleetShipmentOutageIT {

    private static final LocalDate DAY = LocalDate.parse("2024-03-01");
    private static PostgresServer postgres;

    @TempDir
    Path root;

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

    private static TlsResult result(String at) {
        return new TlsResult(
                Instant.parse(at),
                "a.example",
                Optional.empty(),
                Optional.of("mx.a.example"),
                Optional.of("192.0.2.7"),
                Optional.empty(),
                Optional.of("198.51.100.62"),
                Optional.empty(),
                Optional.empty());
    }

    @Test
    void anOutageDelaysShippingAndLosesNothing() throws Exception {
        FakeTime clock = new FakeTime(Instant.parse("2024-03-01T12:00:00Z"));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (FleetNode a = new FleetNode("node-a", root, postgres, clock, new FakeDns(), registry)) {
            a.beat();
            try (TlsResultJournal journal = TlsResultJournal.open(a.journal, registry, clock)) {
                journal.record(result("2024-03-01T10:00:00Z"));
            }
            assertThat(a.ship()).isTrue();

            postgres.stopServer();
            try {
                try (TlsResultJournal journal = TlsResultJournal.open(a.journal, registry, clock)) {
                    journal.record(result("2024-03-01T12:00:01Z"));
                    journal.record(result("2024-03-01T12:00:02Z"));
                }
                clock.advance(Duration.ofSeconds(30));
                assertThat(a.ship()).as("a failed shipment is a value").isFalse();
                assertThat(registry.get("sts.relay.cluster.unshipped.results")
                                .gauge()
                                .value())
                        .isEqualTo(2);
                assertThat(registry.get("sts.relay.cluster.shipment.lag")
                                .gauge()
                                .value())
                        .isEqualTo(30);
                // The journal recorded everything meanwhile.
                assertThat(new DailyAggregator(a.journal).aggregate(DAY).get(0).successes())
                        .isEqualTo(3);
            } finally {
                postgres.startServer();
            }

            assertThat(a.ship()).isTrue();
            assertThat(postgres.number("SELECT sum(results) FROM tlsrpt_batches WHERE node = 'node-a'"))
                    .isEqualTo(3);
            assertThat(registry.get("sts.relay.cluster.unshipped.results")
                            .gauge()
                            .value())
                    .isZero();
            assertThat(registry.get("sts.relay.cluster.shipment.lag").gauge().value())
                    .isZero();
            assertThat(registry.get("sts.relay.cluster.shipped.results")
                            .counter()
                            .count())
                    .isEqualTo(3);
            assertThat(registry.scrape())
                    .contains("sts_relay_cluster_shipment_lag_seconds")
                    .contains("sts_relay_cluster_unshipped_results")
                    .contains("sts_relay_cluster_shipped_results_total")
                    .contains("sts_relay_cluster_shipped_batches_total");
            assertThat(postgres.number("SELECT count(*) FROM nodes WHERE name = 'node-a' "
                            + "AND shipped_through = '2024-03-01T12:00:30Z' AND unshipped_results = 0"))
                    .isEqualTo(1);
        }
    }
}
