package org.stsrelay.tlsrpt;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.config.TlsRptConfig;
import org.stsrelay.support.NamedThreads;

/**
 * Runs the daily reports: after 00:00 UTC each policy domain of the previous day is dispatched at a random
 * offset within {@link TlsRptConfig#sendWindow()} (RFC 8460 §4.1 asks senders to spread reports out), due
 * https retries are run, and operator {@code report send} requests are applied, all checked every few
 * seconds on one thread of its own.
 */
public final class ReportScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReportScheduler.class);
    static final long TICK_SECONDS = 5;
    /**
     * Days, today and back, whose due retries are run: retry-for is at most 3 days, so this covers reports
     * that a day's sending or an operator's send started up to a week ago.
     */
    private static final int RETRY_DAYS = 8;

    private final ReportDispatcher dispatcher;
    private final TlsRptConfig config;
    private final Clock clock;
    private final Random random;
    private final ScheduledExecutorService executor;
    private final Map<String, Instant> plan = new HashMap<>();
    private LocalDate plannedDay;

    ReportScheduler(
            ReportDispatcher dispatcher,
            TlsRptConfig config,
            Clock clock,
            Random random,
            ScheduledExecutorService executor) {
        this.dispatcher = dispatcher;
        this.config = config;
        this.clock = clock;
        this.random = random;
        this.executor = executor;
    }

    /** Starts a scheduler on a thread of its own; the first check runs at once. */
    public static ReportScheduler start(ReportDispatcher dispatcher, TlsRptConfig config, Clock clock, Random random) {
        ScheduledExecutorService executor =
                Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("tlsrpt-reports"));
        ReportScheduler scheduler = new ReportScheduler(dispatcher, config, clock, random, executor);
        executor.scheduleWithFixedDelay(scheduler::tickSafely, 0, TICK_SECONDS, TimeUnit.SECONDS);
        return scheduler;
    }

    private void tickSafely() {
        try {
            tick();
        } catch (Exception e) {
            // A broken journal or state file must not stop the scheduler; the next tick tries again.
            LOG.error("TLS-RPT scheduler: {}", e.toString());
        }
    }

    /**
     * Sends a day's reports now, of every policy domain or of one, as an operator asked ({@code report send}), on
     * the scheduler's thread so that it never overlaps a planned dispatch; completes once dispatched.
     */
    public CompletableFuture<Void> send(LocalDate day, Optional<String> domain) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    LOG.info("TLS-RPT: operator request: send {} {}", day, domain.orElse("(all domains)"));
                    dispatcher.dispatch(day, domain);
                    done.complete(null);
                } catch (IOException | RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException stopped) {
            done.completeExceptionally(stopped);
        }
        return done;
    }

    /** One check: the previous day's planned domains that are due, due retries. */
    void tick() throws Exception {
        LocalDate yesterday = LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(1);
        if (!yesterday.equals(plannedDay)) {
            plan(yesterday);
        }
        Instant now = clock.instant();
        for (var entry : Map.copyOf(plan).entrySet()) {
            if (!entry.getValue().isAfter(now)) {
                plan.remove(entry.getKey());
                dispatcher.dispatch(yesterday, Optional.of(entry.getKey()));
            }
        }
        // Today too: an operator's `report send --day <today>` has destinations to retry like any other day.
        LocalDate today = yesterday.plusDays(1);
        for (int back = 0; back < RETRY_DAYS; back++) {
            dispatcher.retryDue(today.minusDays(back));
        }
    }

    private void plan(LocalDate day) throws Exception {
        plan.clear();
        plannedDay = day;
        Instant midnight = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        long window = Math.max(1, config.sendWindow().toMillis());
        for (String domain : dispatcher.domains(day)) {
            plan.put(domain, midnight.plusMillis((long) (random.nextDouble() * window)));
        }
        LOG.info("TLS-RPT: {} report(s) for {} planned over {}", plan.size(), day, config.sendWindow());
    }

    /** When each of the planned day's domains not yet dispatched is due. */
    Map<String, Instant> plan() {
        return Map.copyOf(plan);
    }

    /** Stops the checks; a dispatch in progress finishes first (within 30 seconds). */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException interrupted) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
