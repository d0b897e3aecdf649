package org.stsrelay.spool;

/** The outcome of committing a message: durable on disk, or not kept at all. */
public sealed interface CommitResult permits CommitResult.Committed, CommitResult.Failed {

    /** The message and its envelope are written and fsync'd; {@code 250} may be sent. */
    record Committed(QueueId id) implements CommitResult {}

    /** Nothing of the message was kept (disk full, I/O error); the reason is for logs, not clients. */
    record Failed(QueueId id, String reason) implements CommitResult {}
}
