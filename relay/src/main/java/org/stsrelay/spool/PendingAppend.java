package org.stsrelay.spool;

import io.micrometer.core.instrument.Timer;
import java.util.concurrent.CompletableFuture;

/** Work queued for the log writer; each completes its future once durable (or failed). */
sealed interface PendingAppend
        permits PendingAppend.Message, PendingAppend.Done, PendingAppend.Progress, PendingAppend.Stop {

    /** A MESSAGE record: the envelope, already encoded as its header, and the content. */
    record Message(
            Envelope envelope,
            byte[] header,
            SealedContent content,
            Timer.Sample sample,
            CompletableFuture<CommitResult> result)
            implements PendingAppend {}

    /** A DONE record: the message is finished and leaves the spool. */
    record Done(QueueId id, CompletableFuture<Void> result) implements PendingAppend {}

    /** A PROGRESS record: the message's delivery state now, already encoded as its header. */
    record Progress(QueueId id, DeliveryState state, byte[] header, CompletableFuture<Void> result)
            implements PendingAppend {}

    /** Asks the writer to finish what is queued and stop. */
    record Stop() implements PendingAppend {}
}
