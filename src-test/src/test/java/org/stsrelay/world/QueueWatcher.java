package org.stsrelay.world;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Watches {@code queue list --json} in the background and keeps every recipient state it saw, so
 * a test can assert a transient state (deferred, before the queue lifetime turns it into a bounce)
 * whatever order the tests run in.
 */
public final class QueueWatcher implements AutoCloseable {

    /** More than a `queue list` run can take (RelayQueue bounds each at 60 s). */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(90);

    private final RelayQueue queue;
    private final Map<String, List<RecipientState>> seen = new ConcurrentHashMap<>();
    private final List<AssertionError> failures = new CopyOnWriteArrayList<>();
    private volatile Listing latest = new Listing(Instant.EPOCH, Set.of());
    private volatile boolean running = true;
    private Thread thread;

    private record Listing(Instant started, Set<String> ids) {}

    private QueueWatcher(RelayQueue queue) {
        this.queue = queue;
    }

    /** Starts listing the queue over and over until closed. */
    public static QueueWatcher start(RelayQueue queue) {
        QueueWatcher watcher = new QueueWatcher(queue);
        watcher.thread = Daemons.start("queue-watcher", watcher::loop);
        return watcher;
    }

    /** Every distinct state seen for {@code recipient}, in the order first seen. */
    public List<RecipientState> seen(String recipient) {
        return List.copyOf(seen.getOrDefault(recipient, List.of()));
    }

    /** Whether a listing begun after {@code since} no longer holds message {@code id}. */
    public boolean goneSince(String id, Instant since) {
        Listing listing = latest;
        return listing.started().isAfter(since) && !listing.ids().contains(id);
    }

    /** The listing failures, if {@code queue list --json} ever broke its contract. */
    public List<AssertionError> failures() {
        return List.copyOf(failures);
    }

    private void loop() {
        while (running) {
            Instant started = Instant.now();
            try {
                List<QueueEntry> entries = queue.list();
                for (QueueEntry entry : entries) {
                    for (RecipientState state : entry.states()) {
                        List<RecipientState> states =
                                seen.computeIfAbsent(state.recipient(), r -> new CopyOnWriteArrayList<>());
                        if (!states.contains(state)) {
                            states.add(state);
                        }
                    }
                }
                latest = new Listing(
                        started, entries.stream().map(QueueEntry::id).collect(Collectors.toSet()));
            } catch (AssertionError failure) {
                failures.add(failure);
            }
        }
    }

    /**
     * Stops listing and waits for the listing under way to end, so that nothing runs `queue list` in the
     * test's temporary directory once its owner deletes it.
     */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new AssertionError("the queue watcher's `queue list` did not end within " + CLOSE_WAIT);
        }
    }
}
