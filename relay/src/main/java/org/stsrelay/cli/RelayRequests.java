package org.stsrelay.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.stsrelay.control.ControlPlane;
import org.stsrelay.control.ControlRequest;
import org.stsrelay.control.FileControlPlane;
import org.stsrelay.control.PendingRequest;
import org.stsrelay.queue.QueueControl;
import org.stsrelay.spool.QueueId;
import org.stsrelay.spool.SpoolInspector;

/**
 * What the commands that talk to the relay share: leaving requests on the control plane of the configured spool,
 * and saying whether a running relay applied them.
 */
final class RelayRequests {

    /** How long a command waits for a running relay to apply its request. */
    static final Duration WAIT = Duration.ofSeconds(5);

    private final ControlPlane plane;
    private final SpoolInspector spool;

    RelayRequests(Path spoolDirectory) {
        this.plane = FileControlPlane.ofSpool(spoolDirectory);
        this.spool = new SpoolInspector(spoolDirectory, this::pendingDeletes);
    }

    /** The spool as operators see it: messages with a pending delete request are gone. */
    SpoolInspector spool() {
        return spool;
    }

    /** Whether {@code request} is waiting for the relay. */
    boolean isPending(ControlRequest request) throws IOException {
        return plane.isPending(request);
    }

    /** Leaves {@code request}. */
    void submit(ControlRequest request) throws IOException {
        plane.submit(request);
    }

    /**
     * Prints whether the relay applied {@code requests}: waits up to {@link #WAIT} for a running relay unless
     * {@code noWait}; a stopped relay applies them at its next start.
     */
    void report(List<ControlRequest> requests, WaitOption wait, PrintWriter out) throws IOException {
        if (requests.isEmpty()) {
            return;
        }
        if (!spool.inUse()) {
            out.println("no relay is running: applied when it next starts");
        } else if (wait.noWait) {
            out.println("left for the running relay, which applies it within seconds");
        } else if (appliedWithin(requests)) {
            out.println("applied by the running relay");
        } else {
            out.println("not yet applied by the running relay after " + WAIT.toSeconds()
                    + " s; it stays pending and is applied");
        }
    }

    private boolean appliedWithin(List<ControlRequest> requests) throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            for (ControlRequest request : requests) {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                if (!plane.awaitApplied(request, left)) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The queue's holds as they will be once the pending hold and release requests are applied; a release overrides
     * {@code delivery.paused} only in a running relay.
     */
    QueueControl.Holds holds(Path spoolDirectory) throws IOException {
        QueueControl.Holds holds = new QueueControl(spoolDirectory).holds();
        boolean running = spool.inUse();
        for (PendingRequest pending : plane.pending()) {
            if (pending.request() instanceof ControlRequest.Hold hold) {
                holds = holds.withHold(hold.domain());
            } else if (pending.request() instanceof ControlRequest.Release release) {
                holds = holds.withRelease(release.domain(), running);
            }
        }
        return holds;
    }

    private Set<QueueId> pendingDeletes() throws IOException {
        return plane.pending().stream()
                .map(PendingRequest::request)
                .filter(ControlRequest.DeleteMessage.class::isInstance)
                .map(request -> QueueId.parseOrNull(((ControlRequest.DeleteMessage) request).queueId()))
                .filter(id -> id != null)
                .collect(Collectors.toSet());
    }
}
