package org.stsrelay.spool;

import java.util.concurrent.CompletionStage;

/** Durable storage of accepted messages, as the inbound stage sees it. */
public interface Spool {

    /** A fresh, unique queue id for a message about to be received. */
    QueueId nextId();

    /** A buffer for the content of a message about to be received. */
    IncomingMessage newMessage();

    /**
     * Writes envelope and content durably (fsync'd, file and directory) and completes, on a spool
     * thread, with {@link CommitResult.Committed} only then. Many concurrent commits share one fsync.
     * The content is consumed either way.
     */
    CompletionStage<CommitResult> commit(Envelope envelope, IncomingMessage content);

    /** Messages currently held (accepted and not yet finished). */
    int size();

    /** Whether the spool can take writes now (for /readyz). */
    boolean isWritable();
}
