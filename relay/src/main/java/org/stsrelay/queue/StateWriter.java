package org.stsrelay.queue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.spool.DeliveryState;
import org.stsrelay.spool.FileSpool;
import org.stsrelay.spool.QueueId;

/**
 * Makes the queue's decisions durable, per message in the order they were made: first the DSNs an
 * attempt called for, then the message's new state (PROGRESS), or its DONE when every recipient is
 * final. A crash in between repeats a DSN rather than losing one.
 */
final class StateWriter {

    private static final Logger log = LoggerFactory.getLogger(StateWriter.class);

    private final FileSpool spool;
    private final DsnSender dsns;
    private final Executor executor;
    /** Writes decided and not yet durable. */
    private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();

    StateWriter(FileSpool spool, DsnSender dsns, Executor executor) {
        this.spool = spool;
        this.dsns = dsns;
        this.executor = executor;
    }

    /** Writes the DSNs of one attempt, then {@code state}. */
    void record(TrackedMessage tracked, Outcomes.Applied applied, List<DsnRecipient> delayed, DeliveryState state) {
        QueueId id = tracked.message.id();
        chain(
                tracked,
                () -> send(tracked, DsnAction.FAILED, applied.failed())
                        .thenCompose(v -> send(tracked, DsnAction.DELIVERED, applied.delivered()))
                        .thenCompose(v -> send(tracked, DsnAction.DELAYED, delayed))
                        .thenCompose(v -> state.finished() ? spool.markDone(id) : spool.recordProgress(id, state)));
    }

    /** Writes the DONE of a message whose recipients are all final. */
    void finish(TrackedMessage tracked) {
        chain(tracked, () -> spool.markDone(tracked.message.id()));
    }

    boolean settled() {
        return pending.isEmpty();
    }

    /** Waits for the writes decided so far; gives up after {@code limit}. */
    void awaitAll(Duration limit) {
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("queue stopped before every delivery state was written: {}", e.toString());
        }
    }

    private CompletionStage<Void> send(TrackedMessage tracked, DsnAction action, List<DsnRecipient> recipients) {
        if (recipients.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return dsns.send(tracked.message, action, recipients);
    }

    /** Runs {@code write} on the executor after the message's earlier writes have finished. */
    private void chain(TrackedMessage tracked, Supplier<CompletionStage<Void>> write) {
        CompletableFuture<Void> before =
                tracked.persisted != null ? tracked.persisted : CompletableFuture.completedFuture(null);
        CompletableFuture<Void> tail = before.thenComposeAsync(v -> write.get(), executor)
                .handle((v, failure) -> {
                    if (failure != null) {
                        log.error(
                                "could not record the delivery state of message {}: {}; it is retried from its"
                                        + " last recorded state after a restart",
                                tracked.message.id(),
                                failure.toString());
                    }
                    return null;
                });
        tracked.persisted = tail;
        pending.add(tail);
        tail.whenComplete((v, failure) -> pending.remove(tail));
    }
}
