package org.stsrelay.control;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.support.NamedThreads;

/**
 * The one poller of operator requests: every {@link #PERIOD} it hands each pending request to the stage that
 * registered its kind, one after another in the order they were left, and removes it once applied.
 */
public final class RequestRouter implements AutoCloseable {

    /** How soon a running relay applies a request. */
    public static final Duration PERIOD = Duration.ofSeconds(1);

    private static final Duration START_WAIT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(RequestRouter.class);

    private final FileControlPlane plane;
    private final Map<Class<? extends ControlRequest>, RequestHandler> handlers = new ConcurrentHashMap<>();
    private final AtomicBoolean applying = new AtomicBoolean();
    private final ScheduledExecutorService poller;

    /** A router over {@code plane}; nothing is polled until {@link #start()}. */
    public RequestRouter(FileControlPlane plane) {
        this.plane = plane;
        this.poller = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("control-requests"));
    }

    /**
     * Lets {@code handler} apply requests of {@code kind}, first the ones left while no relay ran, before the
     * caller goes on starting: a held destination or a deleted message is never delivered at start.
     */
    public void register(Class<? extends ControlRequest> kind, RequestHandler handler) {
        handlers.put(kind, handler);
        try {
            poller.submit(this::applyPending)
                    .get()
                    .toCompletableFuture()
                    .get(START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("requests left before the start are not all applied yet: {}", e.toString());
        }
    }

    /** Stops applying requests of {@code kind}; they wait for the next start. */
    public void withdraw(Class<? extends ControlRequest> kind) {
        handlers.remove(kind);
    }

    /** Starts polling. */
    public void start() {
        poller.scheduleWithFixedDelay(this::applyPending, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Applies every pending request whose kind has a handler, one after another; a poll that finds the previous
     * chain still running does nothing. Completes when the chain ends.
     */
    CompletionStage<Void> applyPending() {
        if (!applying.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        List<PendingRequest> pending;
        try {
            pending = plane.pending();
        } catch (IOException | RuntimeException unreadable) {
            applying.set(false);
            LOG.error("cannot read control requests in {}: {}", plane.directory(), unreadable.toString());
            return CompletableFuture.completedFuture(null);
        }
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (PendingRequest request : pending) {
            chain = chain.thenCompose(ignored -> apply(request));
        }
        return chain.whenComplete((done, error) -> applying.set(false));
    }

    private CompletionStage<Void> apply(PendingRequest pending) {
        RequestHandler handler = handlers.get(pending.request().getClass());
        if (handler == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletionStage<RequestHandler.Outcome> outcome;
        try {
            outcome = handler.apply(pending);
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        return outcome.handle((result, error) -> {
            if (error != null) {
                LOG.error("request \"{}\" failed: {}", pending.request().line(), error.toString());
            }
            if (error != null || result == RequestHandler.Outcome.APPLIED) {
                remove(pending);
            }
            return null;
        });
    }

    private void remove(PendingRequest pending) {
        try {
            plane.remove(pending.request());
        } catch (IOException e) {
            LOG.error(
                    "cannot remove the applied request \"{}\": {}",
                    pending.request().line(),
                    e.toString());
        }
    }

    /** Stops polling; a chain being applied runs to its end on the threads of the stages it calls. */
    @Override
    public void close() {
        poller.shutdownNow();
        try {
            poller.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
