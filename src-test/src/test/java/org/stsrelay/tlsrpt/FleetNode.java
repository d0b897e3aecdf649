package org.stsrelay.tlsrpt;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.stsrelay.config.ClusterConfig;
import org.stsrelay.config.SpoolConfig;
import org.stsrelay.config.TlsRptConfig;
import org.stsrelay.delivery.TlsResultType;
import org.stsrelay.fleet.FleetDatabase;
import org.stsrelay.fleet.NodeHeartbeat;
import org.stsrelay.policy.testing.FakeDns;
import org.stsrelay.policy.testing.FakeTime;
import org.stsrelay.spool.FileSpool;
import org.stsrelay.world.PostgresServer;

/** One relay of a test fleet: its own journal directory, spool and clock, the fleet database shared. */
final class FleetNode implements AutoCloseable {

    static final ReportedPolicy POLICY = new ReportedPolicy(
            ReportedPolicy.PolicyType.STS,
            List.of("version: STSv1", "mode: enforce", "mx: mx.a.example", "max_age: 86400"),
            List.of("mx.a.example"));

    final String name;
    final Path journal;
    final FakeTime clock;
    final MeterRegistry registry;
    final FleetDatabase database;
    final FleetReporting fleet;
    final FileSpool spool;
    final ReportDispatcher dispatcher;
    private final JournalFormat format = new JournalFormat();

    FleetNode(String name, Path root, PostgresServer postgres, FakeTime clock, FakeDns dns, MeterRegistry registry)
            throws IOException {
        this.name = name;
        this.journal = root.resolve(name).resolve("tlsrpt");
        this.clock = clock;
        this.registry = registry;
        Path password = postgres.writePasswordFile(root.resolve("password-" + name));
        this.database = FleetDatabase.open(
                new ClusterConfig.Database(
                        postgres.jdbcUrl(), PostgresServer.USER, Optional.of(password), name, Duration.ofSeconds(10)),
                registry);
        this.fleet = new FleetReporting(database, journal, registry, clock);
        this.spool = FileSpool.open(
                new SpoolConfig(root.resolve(name).resolve("spool"), 64L << 20, 64 * 1024), registry, clock);
        this.dispatcher = new ReportDispatcher(
                config(journal), dns, spool, null, Optional.empty(), registry, clock, () -> "id@example.net", fleet);
    }

    static FleetNode start(String name, Path root, PostgresServer postgres, FakeTime clock, FakeDns dns)
            throws IOException {
        return new FleetNode(name, root, postgres, clock, dns, new SimpleMeterRegistry());
    }

    static TlsRptConfig config(Path directory) {
        return new TlsRptConfig(
                true,
                directory,
                "Example Relay",
                "tlsrpt@example.net",
                "tlsrpt-noreply@example.net",
                Optional.empty(),
                false,
                List.of(),
                Duration.ofHours(4),
                Duration.ofHours(24),
                10_000_000);
    }

    /** Writes this node's heartbeat row at its clock's time. */
    void beat() {
        if (!new NodeHeartbeat(database, "test", clock).beat()) {
            throw new IllegalStateException("heartbeat of " + name + " failed");
        }
    }

    /** Appends results to the journal exactly as its writer does. */
    void record(JournalEntry... entries) throws IOException {
        Files.createDirectories(journal);
        for (JournalEntry e : entries) {
            Files.write(
                    JournalFormat.file(journal, JournalFormat.dayOf(e.at())),
                    format.encode(e),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

    boolean ship() {
        return fleet.shipper().ship();
    }

    static JournalEntry success(String at, String domain) {
        return new JournalEntry(
                Instant.parse(at),
                domain,
                POLICY,
                Optional.of("20240101T000000"),
                Optional.empty(),
                Optional.of("203.0.113.56"),
                Optional.of("mx.a.example"),
                Optional.of("mx.a.example"),
                Optional.of("198.51.100.62"),
                Optional.empty());
    }

    static JournalEntry expired(String at, String domain) {
        return new JournalEntry(
                Instant.parse(at),
                domain,
                POLICY,
                Optional.of("20240101T000000"),
                Optional.of(TlsResultType.CERTIFICATE_EXPIRED),
                Optional.of("203.0.113.56"),
                Optional.of("mx.a.example"),
                Optional.empty(),
                Optional.of("198.51.100.62"),
                Optional.of("expired"));
    }

    @Override
    public void close() throws IOException {
        spool.close();
        database.close();
    }
}
