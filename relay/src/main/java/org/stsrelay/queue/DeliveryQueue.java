package org.stsrelay.queue;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.config.DeliveryConfig;
import org.stsrelay.delivery.DeliveryReport;
import org.stsrelay.delivery.DeliveryRequest;
import org.stsrelay.delivery.DomainDelivery;
import org.stsrelay.delivery.MessageContent;
import org.stsrelay.delivery.RecipientResult;
import org.stsrelay.delivery.TlsResult;
import org.stsrelay.delivery.TlsResultSink;
import org.stsrelay.spool.DeliveryState;
import org.stsrelay.spool.FileSpool;
import org.stsrelay.spool.QueueId;
import org.stsrelay.spool.SpoolListener;
import org.stsrelay.spool.SpooledMessage;
import org.stsrelay.support.Interner;

/**
 * The queue: takes every message the spool holds, groups its pending recipients by destination
 * domain, attempts each domain when it is due within the connection limits, records every outcome
 * durably in the spool, retries deferred recipients on the configured schedule, bounces them when
 * the queue lifetime ends, queues the DSNs the senders asked for, and obeys hold, release and flush.
 */
public final class DeliveryQueue implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeliveryQueue.class);
    /** How often due jobs are looked for (retries are due to the second). */
    static final Duration TICK = Duration.ofSeconds(1);

    private static final long CLOSE_WAIT_SECONDS = 30;

    private final FileSpool spool;
    private final DomainDelivery delivery;
    private final TlsResultSink sink;
    private final DeliveryConfig config;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final Outcomes outcomes;
    private final QueueMetrics metrics;
    private final StateWriter writer;
    private final QueueControl control;
    /** Messages the spool committed, taken on the queue's thread a batch at a time. */
    private final Inbox<SpooledMessage> arrivals;

    private final Object lock = new Object();
    private final ConcurrentMap<QueueId, TrackedMessage> messages = new ConcurrentHashMap<>();
    /** Destination names shared between queued messages: a deep queue goes to far fewer domains than messages. */
    private final Interner<String> domainNames = new Interner<>(4096);

    private final Agenda agenda;
    private volatile QueueControl.Holds holds = new QueueControl.Holds(false, Set.of(), false);
    private ScheduledFuture<?> ticker;
    private volatile boolean closed;

    /** One attempt about to start, decided under the lock and started outside it. */
    private record Launch(TrackedMessage message, String domain, List<Integer> recipients, boolean lastAttempt) {}

    /**
     * A queue over {@code spool} that delivers through {@code delivery}, hands TLS results to
     * {@code sink}, and runs its timer, its bookkeeping and DSN writing on {@code executor}; the
     * caller owns the executor and shuts it down after {@link #close()}.
     */
    public DeliveryQueue(
            FileSpool spool,
            DomainDelivery delivery,
            TlsResultSink sink,
            DeliveryConfig config,
            String hostname,
            MeterRegistry registry,
            Clock clock,
            ScheduledExecutorService executor) {
        this(spool, delivery, sink, config, hostname, registry, clock, executor, RetryJitter.random());
    }

    /** The same, with the retry delays spread by {@code jitter}. */
    DeliveryQueue(
            FileSpool spool,
            DomainDelivery delivery,
            TlsResultSink sink,
            DeliveryConfig config,
            String hostname,
            MeterRegistry registry,
            Clock clock,
            ScheduledExecutorService executor,
            RetryJitter jitter) {
        this.spool = spool;
        this.delivery = delivery;
        this.sink = sink;
        this.config = config;
        this.clock = clock;
        this.executor = executor;
        this.outcomes = new Outcomes(config, jitter);
        this.agenda = new Agenda(config.maxConnections(), config.maxConnectionsPerDomain());
        this.metrics = new QueueMetrics(registry, new QueueGauges(messages, () -> holds, config.paused(), clock));
        this.writer = new StateWriter(spool, new DsnSender(spool, metrics, clock, hostname), executor);
        this.control = new QueueControl(spool.directory());
        this.arrivals = new Inbox<>(this::run, this::track, this::pump);
    }

    /** Starts the timer and loads every spooled message with its recorded state, on the queue's thread. */
    public void start() {
        try {
            control.clearRelease();
        } catch (IOException e) {
            log.warn("could not clear an earlier queue release: {}", e.toString());
        }
        spool.listen(new SpoolListener() {
            @Override
            public void committed(List<SpooledMessage> messages) {
                arrivals.addAll(messages);
            }

            @Override
            public void finished(QueueId id) {
                run(() -> forget(id));
            }
        });
        loadHolds();
        if (holds.holdsAll(config.paused())) {
            log.info(
                    "delivery starts held ({}); `queue release` resumes it",
                    holds.all() ? "queue hold" : "delivery.paused");
        }
        ticker = executor.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        // The held messages are loaded on the queue's thread, so the relay goes on to listen while a deep queue
        // loads; hold, release and flush requests applied after this start run after the load.
        run(this::load);
    }

    /** Schedules every message the spool holds, in the order they were committed, then starts what is due. */
    private void load() {
        spool.messages().forEach(this::track);
        pump();
    }

    /** Starts the attempts that are due. */
    void tick() {
        try {
            pump();
        } catch (RuntimeException e) {
            log.error("queue tick failed", e);
        }
    }

    /** Schedules a message the spool holds; the caller pumps. */
    private void track(SpooledMessage committed) {
        Optional<DeliveryState> state = spool.deliveryState(committed.id());
        if (state.isEmpty()) {
            return;
        }
        synchronized (lock) {
            // A message deleted meanwhile is gone from the spool's index before its removal is announced.
            Optional<SpooledMessage> held = spool.find(committed.id());
            if (closed || messages.containsKey(committed.id()) || held.isEmpty()) {
                return;
            }
            // The index's copy, which shares its segment's path with the segment's other messages.
            SpooledMessage message = held.get();
            TrackedMessage tracked = new TrackedMessage(message, state.get(), domainNames);
            if (state.get().finished()) {
                // Every recipient was final but the DONE never made it (a stop in between): finish now.
                writer.finish(tracked);
                return;
            }
            messages.put(message.id(), tracked);
            Instant now = clock.instant();
            tracked.pendingByDomain()
                    .forEach((domain, indexes) ->
                            tracked.putJob(agenda.add(tracked.due(indexes, now), message.id(), domain)));
        }
    }

    /** The message left the spool (finished, or deleted by an operator): nothing more is attempted. */
    private void forget(QueueId id) {
        synchronized (lock) {
            TrackedMessage tracked = messages.remove(id);
            if (tracked != null) {
                tracked.clearJobs();
            }
        }
    }

    private void pump() {
        List<Launch> launches = new ArrayList<>();
        synchronized (lock) {
            if (closed || holds.holdsAll(config.paused())) {
                return;
            }
            Instant now = clock.instant();
            Job job;
            while ((job = agenda.next(now, holds.domains(), this::live)) != null) {
                TrackedMessage tracked = messages.get(job.id());
                tracked.removeJob(job.domain());
                List<Integer> recipients = tracked.pendingByDomain().get(job.domain());
                if (recipients == null) {
                    continue;
                }
                agenda.started(job.domain());
                metrics.attemptStarted();
                // RFC 8461 §5.1: the attempt at the end of the lifetime decides, after a fresh policy check.
                boolean last = !now.isBefore(outcomes.expiry(tracked.message.envelope()));
                launches.add(new Launch(tracked, job.domain(), recipients, last));
            }
        }
        launches.forEach(this::launch);
    }

    private boolean live(Job job) {
        TrackedMessage tracked = messages.get(job.id());
        // The spool's index drops a deleted message before the queue hears of it: ask it too.
        return tracked != null
                && tracked.job(job.domain()) == job
                && spool.find(job.id()).isPresent();
    }

    private void launch(Launch launch) {
        TrackedMessage tracked = launch.message();
        // A message relayed at once is sent from the copy the spool kept in memory, not read back from disk.
        Optional<byte[]> fresh = spool.takeFreshContent(tracked.message.id());
        MessageTraits traits = traits(tracked, fresh);
        DeliveryRequest request = new DeliveryRequest(
                tracked.message.envelope(),
                launch.domain(),
                launch.recipients(),
                fresh.<MessageContent>map(MemoryContent::new).orElseGet(() -> new SpoolContent(tracked.message)),
                traits.tlsOptional(),
                traits.reportable(),
                launch.lastAttempt());
        CompletionStage<DeliveryReport> attempt;
        try {
            attempt = delivery.deliver(request);
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        attempt.whenComplete((report, failure) -> run(() -> complete(tracked, request, report, failure)));
    }

    private MessageTraits traits(TrackedMessage tracked, Optional<byte[]> fresh) {
        MessageTraits traits = tracked.traits;
        if (traits == null) {
            traits = MessageTraits.of(tracked.message.envelope(), config.tlsRequiredHeader())
                    .orElseGet(() -> scan(tracked, fresh));
            tracked.traits = traits;
        }
        return traits;
    }

    private MessageTraits scan(TrackedMessage tracked, Optional<byte[]> fresh) {
        try (InputStream in =
                fresh.isPresent() ? new ByteArrayInputStream(fresh.get()) : spool.openContent(tracked.message)) {
            return MessageTraits.scan(in);
        } catch (IOException e) {
            log.warn("could not read the header of message {}: {}", tracked.message.id(), e.toString());
            return MessageTraits.ORDINARY;
        }
    }

    private void complete(TrackedMessage tracked, DeliveryRequest request, DeliveryReport given, Throwable failure) {
        DeliveryReport report = failure == null ? given : deferAll(request, failure);
        if (request.reportable()) {
            report.tlsResults().forEach(this::record);
        }
        Instant now = clock.instant();
        synchronized (lock) {
            agenda.ended(request.domain());
            metrics.attemptEnded();
            if (messages.get(tracked.message.id()) == tracked) {
                apply(tracked, request, report, now);
            }
        }
        pump();
    }

    /** Applies an attempt's report under the lock: new state, next job, and the writes it calls for. */
    private void apply(TrackedMessage tracked, DeliveryRequest request, DeliveryReport report, Instant now) {
        Outcomes.Applied applied = outcomes.apply(tracked.state, request, report, now);
        DeliveryState state = applied.state();
        List<DsnRecipient> delayed = outcomes.delayNotice(request.envelope(), state, now);
        if (!delayed.isEmpty()) {
            state = state.withDelayNoticeSent();
        }
        tracked.state = state;
        for (DsnRecipient bounce : applied.bounced()) {
            metrics.bounced();
            log.info(
                    "bounced message {} recipient <{}>: {} {}{}",
                    tracked.message.id(),
                    bounce.recipient().address(),
                    bounce.status(),
                    bounce.reason(),
                    request.envelope().sender().isEmpty() ? " (null sender: no DSN)" : "");
        }
        DeliveryState written = state;
        if (state.finished()) {
            messages.remove(tracked.message.id());
            tracked.clearJobs();
        } else {
            List<Integer> pending = tracked.pendingByDomain().get(request.domain());
            if (pending != null) {
                tracked.putJob(agenda.add(tracked.due(pending, now), tracked.message.id(), request.domain()));
            }
        }
        writer.record(tracked, applied, delayed, written);
    }

    /** Delivery promised never to fail exceptionally; if it does, the attempt counts as a temporary failure. */
    private static DeliveryReport deferAll(DeliveryRequest request, Throwable failure) {
        log.error(
                "delivery of message {} to {} failed unexpectedly",
                request.envelope().id(),
                request.domain(),
                failure);
        List<RecipientResult> results = request.recipients().stream()
                .map(index -> new RecipientResult(
                        index,
                        RecipientResult.Outcome.DEFERRED,
                        451,
                        "4.3.0",
                        "local error in delivery: " + failure,
                        Optional.empty(),
                        false))
                .toList();
        return new DeliveryReport(results, List.of());
    }

    private void record(TlsResult result) {
        try {
            sink.record(result);
        } catch (RuntimeException e) {
            log.warn("TLS result sink failed: {}", e.toString());
        }
    }

    private void loadHolds() {
        try {
            holds = control.holds();
        } catch (IOException e) {
            log.warn("could not read the queue's holds: {}", e.toString());
        }
    }

    /** Holds delivery of everything, or to one destination, durably; completes once recorded. */
    public CompletableFuture<Void> hold(Optional<String> domain) {
        return onExecutor(() -> {
            control.hold(domain);
            changeHolds(holds.withHold(domain));
            pump();
        });
    }

    /**
     * Releases a hold of everything, or of one destination, durably; releasing everything also overrides
     * {@code delivery.paused} when {@code overridePaused}, until the next start.
     */
    public CompletableFuture<Void> release(Optional<String> domain, boolean overridePaused) {
        return onExecutor(() -> {
            control.release(domain, overridePaused);
            changeHolds(holds.withRelease(domain, overridePaused));
            pump();
        });
    }

    /** Makes every waiting recipient (of one destination, or all) due now; completes once done. */
    public CompletableFuture<Void> flush(Optional<String> domain) {
        return onExecutor(() -> {
            flushNow(domain);
            pump();
        });
    }

    private void changeHolds(QueueControl.Holds now) {
        QueueControl.Holds before = holds;
        holds = now;
        logHoldChanges(before, now);
        synchronized (lock) {
            before.domains().stream()
                    .filter(domain -> !now.domains().contains(domain))
                    .forEach(agenda::unpark);
        }
    }

    private interface QueueAction {
        void run() throws IOException;
    }

    // Hold changes and flushes run on the queue's thread, like every other change of its bookkeeping.
    private CompletableFuture<Void> onExecutor(QueueAction action) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    action.run();
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

    private void logHoldChanges(QueueControl.Holds before, QueueControl.Holds now) {
        boolean wasHeld = before.holdsAll(config.paused());
        boolean isHeld = now.holdsAll(config.paused());
        if (wasHeld != isHeld && ticker != null) {
            log.info(isHeld ? "delivery held by an operator" : "delivery released by an operator");
        }
        now.domains().stream()
                .filter(d -> !before.domains().contains(d))
                .forEach(d -> log.info("delivery to {} held by an operator", d));
        before.domains().stream()
                .filter(d -> !now.domains().contains(d))
                .forEach(d -> log.info("delivery to {} released by an operator", d));
    }

    private void flushNow(Optional<String> domain) {
        Instant now = clock.instant();
        int count = 0;
        synchronized (lock) {
            for (TrackedMessage tracked : messages.values()) {
                for (Job job : tracked.jobs()) {
                    if (domain.isEmpty() || domain.get().equals(job.domain())) {
                        tracked.putJob(agenda.advance(job, now));
                        count++;
                    }
                }
            }
        }
        log.info(
                "flush of {} requested: {} destination(s) of queued messages are due now",
                domain.orElse("all destinations"),
                count);
    }

    /** Runs {@code task} on the executor; after close, work that arrives is dropped (the spool keeps it). */
    private void run(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("queue executor stopped; dropping a task");
        }
    }

    /** Whether every decided state and DSN is durable (for tests and an orderly stop). */
    boolean settled() {
        return writer.settled();
    }

    /** Attempts under way. */
    int attemptsInFlight() {
        synchronized (lock) {
            return agenda.running();
        }
    }

    /**
     * Stops starting attempts and waits (up to 30 s) for the states already decided to be written;
     * attempts still under way are retried after the next start. Close this before the spool and
     * before shutting the executor down.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (ticker != null) {
            ticker.cancel(false);
        }
        writer.awaitAll(Duration.ofSeconds(CLOSE_WAIT_SECONDS));
        metrics.close();
    }
}
