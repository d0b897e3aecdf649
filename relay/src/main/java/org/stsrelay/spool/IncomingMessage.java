package org.stsrelay.spool;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletionStage;

/**
 * The content of one message while it is being received, before it is committed to the spool.
 * Small messages stay in memory; a large one spills to a file under the spool, written on the
 * spool's I/O executor, never on the caller's thread. Not thread-safe: one session owns it.
 */
public interface IncomingMessage {

    /**
     * Appends content, taking ownership of {@code content} (it is released here). The stage completes
     * when the bytes are buffered; a caller that receives faster than the disk takes them waits for it
     * (stops reading) before appending more.
     */
    CompletionStage<Void> append(ByteBuf content);

    /** Octets appended so far. */
    long size();

    /** Drops the content and any spill file; safe to call more than once and after commit. */
    void discard();
}
