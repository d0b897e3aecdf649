package org.stsrelay.tlsrpt;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
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
 *
 * <p>In fleet mode every send goes through the {@link DispatchGuard}: a planned report waits until every node
 * seen during the day has shipped its results of the day, or until the send window is over, and then is sent by
 * whichever node holds the day's lease; the plan is topped up with policy domains that other nodes' shipments
 * bring after it was made.
 */
public final class ReportScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReportScheduler.class);
    static final long TICK_SECONDS = 5;
    /**
     * Days, today and back, whose due retries are run: retry-for is at most 3 days, so this covers reports
     * that a day's sending or an operator's send started up to a week ago.
     */
    private static final int RETRY_DAYS = 8;
    /** How often a fleet node looks for policy domains that other nodes' shipments brought. */
    static final Duration TOP_UP_EVERY = Duration.ofMinutes(1);
    /**
     * How often a fleet node looks for due retries: each look reads the shared state of {@link #RETRY_DAYS} days,
     * and the first retry is a minute after the failure anyway (a single node reads its files every tick).
     */
    static final Duration FLEET_RETRY_SCAN_EVERY = Duration.ofMinutes(1);

    private final ReportDispatcher dispatcher;
    private final TlsRptConfig config;
    private final Clock clock;
    private final Random random;
    private final ScheduledExecutorService executor;
    private final DispatchGuard guard;
    private final Map<String, Instant> plan = new HashMap<>();
    private final Set<String> plannedEver = new HashSet<>();
    private LocalDate plannedDay;
    private Instant lastTopUp = Instant.MIN;
    private Instant lastRetryScan = Instant.MIN;
    private LocalDate waitLogged;
    private LocalDate lateLogged;
    private String lastError;

    ReportScheduler(
            ReportDispatcher dispatcher,
            TlsRptConfig config,
            Clock clock,
            Random random,
            ScheduledExecutorService executor) {
        this(dispatcher, config, clock, random, executor, DispatchGuard.SINGLE_NODE);
    }

    ReportScheduler(
            ReportDispatcher dispatcher,
            TlsRptConfig config,
            Clock clock,
            Random random,
            ScheduledExecutorService executor,
            DispatchGuard guard) {
        this.guard = guard;
        this.dispatcher = dispatcher;
        this.config = config;
        this.clock = clock;
        this.random = random;
        this.executor = executor;
    }

    /** Starts a scheduler on a thread of its own; the first check runs at once. */
    public static ReportScheduler start(ReportDispatcher dispatcher, TlsRptConfig config, Clock clock, Random random) {
        return start(dispatcher, config, clock, random, DispatchGuard.SINGLE_NODE);
    }

    /** A fleet node's scheduler: every send under the day's lease, planned sends once the day's results are in. */
    public static ReportScheduler start(
            ReportDispatcher dispatcher, TlsRptConfig config, Clock clock, Random random, FleetReporting fleet) {
        return start(dispatcher, config, clock, random, fleet.guard());
    }

    private static ReportScheduler start(
            ReportDispatcher dispatcher, TlsRptConfig config, Clock clock, Random random, DispatchGuard guard) {
        ScheduledExecutorService executor =
                Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("tlsrpt-reports"));
        ReportScheduler scheduler = new ReportScheduler(dispatcher, config, clock, random, executor, guard);
        executor.scheduleWithFixedDelay(scheduler::tickSafely, 0, TICK_SECONDS, TimeUnit.SECONDS);
        return scheduler;
    }

    private void tickSafely() {
        try {
            tick();
            lastError = null;
        } catch (Exception e) {
            // A broken journal or state file must not stop the scheduler; the next tick tries again. The same
            // failure tick after tick (a fleet database outage) is logged once, as the fleet database logs it.
            String error = e.toString();
            if (error.equals(lastError)) {
                LOG.debug("TLS-RPT scheduler: {}", error);
            } else {
                LOG.error("TLS-RPT scheduler: {}", error);
            }
            lastError = error;
        }
    }

    /**
     * Sends a day's reports now, of every policy domain or of one, as an operator asked ({@code report send}), on
     * the scheduler's thread so that it never overlaps a planned dispatch; completes with true once dispatched,
     * with false when this node may not send now (a fleet node without the day's lease or database).
     */
    public CompletableFuture<Boolean> send(LocalDate day, Optional<String> domain) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    LOG.info("TLS-RPT: operator request: send {} {}", day, domain.orElse("(all domains)"));
                    boolean sent = guard.run(day, () -> dispatcher.dispatch(day, domain))
                            .isPresent();
                    if (!sent) {
                        LOG.info(
                                "TLS-RPT: sending {} waits: another node holds the day's report lease, or the "
                                        + "fleet database is unreachable",
                                day);
                    }
                    done.complete(sent);
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
        topUp(yesterday, now);
        boolean anyDue = plan.values().stream().anyMatch(at -> !at.isAfter(now));
        if (anyDue && resultsIn(yesterday, now)) {
            for (var entry : Map.copyOf(plan).entrySet()) {
                if (!entry.getValue().isAfter(now)) {
                    plan.remove(entry.getKey());
                    Optional<String> domain = Optional.of(entry.getKey());
                    if (guard.run(yesterday, () -> dispatcher.dispatch(yesterday, domain))
                            .isEmpty()) {
                        plan.put(entry.getKey(), now); // another node sends now, or no database: next tick
                    }
                }
            }
        }
        if (guard.resultsArriveLate() && now.isBefore(lastRetryScan.plus(FLEET_RETRY_SCAN_EVERY))) {
            return;
        }
        lastRetryScan = now;
        // Today too: an operator's `report send --day <today>` has destinations to retry like any other day.
        LocalDate today = yesterday.plusDays(1);
        for (int back = 0; back < RETRY_DAYS; back++) {
            LocalDate day = today.minusDays(back);
            if (dispatcher.hasDueRetries(day)) {
                guard.run(day, () -> dispatcher.retryDue(day));
            }
        }
    }

    /**
     * Whether the planned reports of {@code day} may go: once every node's results of the day are in, or, when a
     * node does not ship them (down, or unreachable), once the send window is over, with what is there.
     */
    private boolean resultsIn(LocalDate day, Instant now) {
        Readiness readiness = guard.readiness(day);
        if (readiness.ready()) {
            return true;
        }
        Instant windowEnd = midnightAfter(day).plus(config.sendWindow());
        if (now.isBefore(windowEnd)) {
            if (!day.equals(waitLogged)) {
                waitLogged = day;
                LOG.info(
                        "TLS-RPT: the reports of {} wait for the results of {} (until {} at the latest)",
                        day,
                        readiness.waiting(),
                        windowEnd);
            }
            return false;
        }
        if (!day.equals(lateLogged)) {
            lateLogged = day;
            LOG.warn(
                    "TLS-RPT: the send window of {} is over; sending its reports without the unshipped results of {}",
                    day,
                    readiness.waiting());
        }
        return true;
    }

    /** Fleet mode: plans the policy domains that shipments brought since the plan was made. */
    private void topUp(LocalDate day, Instant now) {
        if (!guard.resultsArriveLate() || now.isBefore(lastTopUp.plus(TOP_UP_EVERY))) {
            return;
        }
        lastTopUp = now;
        try {
            for (String domain : dispatcher.domains(day)) {
                if (plannedEver.add(domain)) {
                    plan.put(domain, randomTimeIn(day));
                }
            }
        } catch (IOException e) {
            LOG.debug("TLS-RPT: cannot look for new policy domains of {}: {}", day, e.toString());
        }
    }

    private void plan(LocalDate day) throws Exception {
        plan.clear();
        plannedEver.clear();
        plannedDay = day;
        for (String domain : dispatcher.domains(day)) {
            plannedEver.add(domain);
            plan.put(domain, randomTimeIn(day));
        }
        LOG.info("TLS-RPT: {} report(s) for {} planned over {}", plan.size(), day, config.sendWindow());
    }

    private Instant randomTimeIn(LocalDate day) {
        long window = Math.max(1, config.sendWindow().toMillis());
        return midnightAfter(day).plusMillis((long) (random.nextDouble() * window));
    }

    private static Instant midnightAfter(LocalDate day) {
        return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
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
