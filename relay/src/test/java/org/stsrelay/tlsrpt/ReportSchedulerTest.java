package org.stsrelay.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
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

class ReportSchedulerTest {

    private static final LocalDate DAY = LocalDate.of(2024, 3, 1);

    @TempDir
    Path directory;

    private final FakeTime clock = new FakeTime(Instant.parse("2024-03-02T00:00:01Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ScheduledExecutorService unused = Executors.newSingleThreadScheduledExecutor();
    private FileSpool spool;
    private ReportScheduler scheduler;
    private TlsRptConfig config;

    @BeforeEach
    void setUp() throws Exception {
        Path tlsrpt = directory.resolve("tlsrpt");
        spool = FileSpool.open(new SpoolConfig(directory.resolve("spool"), 64L << 20, 64 * 1024), registry, clock);
        try (TlsResultJournal journal = TlsResultJournal.open(tlsrpt, registry, clock)) {
            journal.record(Results.success("2024-03-01T10:00:00Z", "a.example"));
            journal.record(Results.success("2024-03-01T10:00:00Z", "b.example"));
        }
        config = new TlsRptConfig(
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
        FakeDns dns = new FakeDns()
                .txt("_smtp._tls.a.example", "v=TLSRPTv1; rua=mailto:r@a.example")
                .txt("_smtp._tls.b.example", "v=TLSRPTv1; rua=mailto:r@b.example");
        // No https rua here, so the poster's event loops are never used.
        ReportDispatcher dispatcher = new ReportDispatcher(
                config, dns, spool, null, Optional.empty(), registry, clock, () -> "id@example.net");
        scheduler = new ReportScheduler(dispatcher, config, clock, new Random(7), unused);
    }

    @AfterEach
    void tearDown() throws Exception {
        unused.shutdownNow();
        spool.close();
    }

    @Test
    @DisplayName("RFC 8460 §4.1: after midnight each domain is sent at a random offset within the send window")
    void jitteredWithinWindow() throws Exception {
        scheduler.tick();
        Instant midnight = Instant.parse("2024-03-02T00:00:00Z");
        assertThat(scheduler.plan()).containsOnlyKeys("a.example", "b.example");
        assertThat(scheduler.plan().values())
                .allSatisfy(at -> assertThat(at).isBetween(midnight, midnight.plus(Duration.ofHours(4))));

        clock.advance(Duration.ofHours(4));
        scheduler.tick();
        assertThat(scheduler.plan()).isEmpty();
        assertThat(spool.messages()).hasSize(2);
    }

    @Test
    @DisplayName("report send: an operator's request sends the day's report of the one domain asked for, once")
    void operatorRequest() throws Exception {
        scheduler.tick();
        scheduler.send(DAY, Optional.of("b.example")).get(30, TimeUnit.SECONDS);
        assertThat(spool.messages())
                .extracting(m -> m.envelope().recipients().get(0).address())
                .containsExactly("r@b.example");
        scheduler.tick();
        assertThat(spool.messages()).hasSize(1);
        assertThat(ReportState.load(config.directory(), DAY).domains()).containsOnlyKeys("b.example");
    }
}
