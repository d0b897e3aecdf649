package org.stsrelay.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.config.SpoolConfig;
import org.stsrelay.config.TlsRptConfig;
import org.stsrelay.policy.testing.FakeDns;
import org.stsrelay.policy.testing.FakeTime;
import org.stsrelay.spool.FileSpool;

/** The scheduler under a fleet guard: planned reports wait for every node's results and for the day's lease. */
class GuardedSchedulingTest {

    private static final LocalDate DAY = LocalDate.of(2024, 3, 1);

    @TempDir
    Path directory;

    private final FakeTime clock = new FakeTime(Instant.parse("2024-03-02T00:00:01Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ScheduledExecutorService unused = Executors.newSingleThreadScheduledExecutor();
    private final FakeGuard guard = new FakeGuard();
    private FileSpool spool;
    private ReportScheduler scheduler;

    /** A guard whose readiness and lease the test sets. */
    private static final class FakeGuard implements DispatchGuard {
        volatile Readiness readiness = new Readiness(false, List.of("node-b"));
        volatile boolean leaseFree = true;
        int runs;

        @Override
        public Readiness readiness(LocalDate day) {
            return readiness;
        }

        @Override
        public <T> Optional<T> run(LocalDate day, Dispatch<T> dispatch) throws IOException {
            runs++;
            return leaseFree ? Optional.of(dispatch.run()) : Optional.empty();
        }

        @Override
        public boolean resultsArriveLate() {
            return true;
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        Path tlsrpt = directory.resolve("tlsrpt");
        spool = FileSpool.open(new SpoolConfig(directory.resolve("spool"), 64L << 20, 64 * 1024), registry, clock);
        try (TlsResultJournal journal = TlsResultJournal.open(tlsrpt, registry, clock)) {
            journal.record(Results.success("2024-03-01T10:00:00Z", "a.example"));
        }
        TlsRptConfig config = new TlsRptConfig(
                true,
                tlsrpt,
                "Example Relay",
                "tlsrpt@example.net",
                "tlsrpt-noreply@example.net",
                Optional.empty(),
                false,
                List.of(),
                Duration.ofHours(4),
                Duration.ofHours(24),
                10_000_000);
        FakeDns dns = new FakeDns().txt("_smtp._tls.a.example", "v=TLSRPTv1; rua=mailto:r@a.example");
        ReportDispatcher dispatcher = new ReportDispatcher(
                config, dns, spool, null, Optional.empty(), registry, clock, () -> "id@example.net");
        scheduler = new ReportScheduler(dispatcher, config, clock, new Random(7), unused, guard);
    }

    @AfterEach
    void tearDown() throws Exception {
        unused.shutdownNow();
        spool.close();
    }

    @Test
    @DisplayName("RFC 8460 §4.1: a planned report waits while a node has not shipped the day, then goes when it has")
    void waitsForEveryNodesResults() throws Exception {
        scheduler.tick();
        clock.set(Instant.parse("2024-03-02T03:59:59Z"));
        scheduler.tick();
        assertThat(spool.messages()).isEmpty();
        assertThat(scheduler.plan()).containsOnlyKeys("a.example");

        guard.readiness = Readiness.READY;
        scheduler.tick();
        assertThat(spool.messages()).hasSize(1);
        assertThat(scheduler.plan()).isEmpty();
    }

    @Test
    @DisplayName("RFC 8460 §4.1: at the end of the send window a report goes without the nodes still missing")
    void windowEndSendsAnyway() throws Exception {
        scheduler.tick();
        clock.set(Instant.parse("2024-03-02T04:00:00Z"));
        scheduler.tick();
        assertThat(spool.messages()).hasSize(1);
    }

    @Test
    @DisplayName("Without the day's lease a planned report stays planned and goes on a later tick")
    void noLeaseKeepsItPlanned() throws Exception {
        guard.readiness = Readiness.READY;
        guard.leaseFree = false;
        scheduler.tick();
        clock.set(Instant.parse("2024-03-02T04:00:00Z"));
        scheduler.tick();
        assertThat(spool.messages()).isEmpty();
        assertThat(scheduler.plan()).containsOnlyKeys("a.example");

        guard.leaseFree = true;
        scheduler.tick();
        assertThat(spool.messages()).hasSize(1);
        assertThat(scheduler.plan()).isEmpty();
    }

    @Test
    @DisplayName("report send: without the day's lease the operator's request is left for the next poll")
    void operatorSendWithoutLease() throws Exception {
        guard.leaseFree = false;
        assertThat(scheduler.send(DAY, Optional.empty()).get(30, TimeUnit.SECONDS))
                .isFalse();
        assertThat(spool.messages()).isEmpty();
        guard.leaseFree = true;
        assertThat(scheduler.send(DAY, Optional.empty()).get(30, TimeUnit.SECONDS))
                .isTrue();
        assertThat(spool.messages()).hasSize(1);
    }

    @Test
    @DisplayName("RFC 8460 §5.5: a fleet node looks for due retries in the shared state once a minute, not every tick")
    void fleetLooksForDueRetriesOnceAMinute() throws Exception {
        // A destination of DAY is due for a retry; no lease, and no planned report may go (node-b is behind), so
        // every guarded run counted below is a retry scan that found it due.
        ReportState.Destination retrying = new ReportState.Destination(
                ReportState.Status.RETRYING,
                1,
                Instant.parse("2024-03-01T23:00:00Z"),
                Optional.of(Instant.parse("2024-03-02T00:00:00Z")),
                Optional.of("HTTP 500"));
        new ReportState(DAY, Map.of())
                .with("a.example", "id", "https://rua.example/tlsrpt", retrying)
                .save(directory.resolve("tlsrpt"));
        guard.leaseFree = false;

        scheduler.tick();
        assertThat(guard.runs).isEqualTo(1);
        clock.set(Instant.parse("2024-03-02T00:00:31Z"));
        scheduler.tick();
        assertThat(guard.runs).as("a second look within the minute").isEqualTo(1);
        clock.set(Instant.parse("2024-03-02T00:01:01Z"));
        scheduler.tick();
        assertThat(guard.runs).isEqualTo(2);
    }
}
