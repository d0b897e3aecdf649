package org.stsrelay.control;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * How operators' tools hand requests to the relay and learn that they were applied; the embedded implementation is
 * {@link FileControlPlane}.
 */
public interface ControlPlane {

    /** Leaves {@code request} durably; a running relay applies it soon, a stopped one at its next start. */
    void submit(ControlRequest request) throws IOException;

    /** Whether {@code request} is waiting to be applied. */
    boolean isPending(ControlRequest request) throws IOException;

    /** The requests waiting to be applied, oldest first. */
    List<PendingRequest> pending() throws IOException;

    /** Waits up to {@code timeout} for {@code request} to be applied; true when it was. */
    boolean awaitApplied(ControlRequest request, Duration timeout) throws IOException, InterruptedException;
}
