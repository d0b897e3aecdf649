package org.stsrelay.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.support.NamedThreads;

/**
 * The one thread that appends to the log (group commit): it takes everything queued, writes it as one
 * batch with one fsync, completes every future of the batch, then deletes segments that no longer
 * hold live messages.
 *
 * <p>DONE and PROGRESS records are committed late: a batch of only those is written without an fsync and
 * becomes durable with the next batch that carries a message, or after the state sync delay at the latest.
 * Losing one to a machine crash in that window rolls a message back to its earlier state, so it may be
 * delivered twice but is never lost, the trade-off every MTA makes for finished mail.
 *
 * <p>While messages arrive faster than the commit window, a batch that carries one waits that window for the next
 * ones before its fsync (what PostgreSQL's commit_delay does), so that more of them share it; a message that
 * arrives alone is written at once. The writer sleeps through the window instead of waking for each arrival, so
 * that a submit in the window costs the submitting event loop no wake-up of this thread.
 */
final class LogWriter {

    private static final Logger log = LoggerFactory.getLogger(LogWriter.class);
    private final BlockingQueue<PendingAppend> queue = new LinkedBlockingQueue<>();
    private final SegmentAppender appender;
    private final LogIndex index;
    private final SpoolLayout layout;
    private final DiskSync sync;
    private final SpoolMetrics metrics;
    private final FreshContents fresh;
    private final long lateSyncNanos;
    private final long commitWindowNanos;
    private final AtomicLong lastMessageAt = new AtomicLong(System.nanoTime() - TimeUnit.DAYS.toNanos(1));
    /** The time between the last two messages submitted. */
    private volatile long messageGapNanos = Long.MAX_VALUE;

    private final Thread thread;
    /** When the oldest record not yet durable must be synced (System.nanoTime), or 0 when all are. */
    private long syncDue;

    private volatile boolean stopped;
    /** Set by {@link #stop()}, so that a batch no longer waits out its commit window. */
    private volatile boolean stopRequested;

    private volatile boolean writable = true;
    private volatile SpoolListener listener = SpoolListener.NONE;

    LogWriter(
            SegmentAppender appender,
            LogIndex index,
            SpoolLayout layout,
            DiskSync sync,
            SpoolMetrics metrics,
            FreshContents fresh,
            Duration stateSyncDelay,
            Duration commitWindow) {
        this.appender = appender;
        this.fresh = fresh;
        this.lateSyncNanos = stateSyncDelay.toNanos();
        this.commitWindowNanos = commitWindow.toNanos();
        this.index = index;
        this.layout = layout;
        this.sync = sync;
        this.metrics = metrics;
        this.thread = NamedThreads.nonDaemon("spool-writer").newThread(this::run);
    }

    void start() {
        thread.start();
    }

    /** Queues work; if the writer has stopped, the work fails at once instead. */
    void submit(PendingAppend append) {
        if (append instanceof PendingAppend.Message) {
            long now = System.nanoTime();
            messageGapNanos = now - lastMessageAt.getAndSet(now);
        }
        queue.add(append);
        // A submit racing with stop(): whoever removes the item from the queue completes it.
        if (stopped && queue.remove(append)) {
            abandon(List.of(append), "spool closed");
        }
    }

    /** Tells {@code listener}, from now on, of each message committed and each message finished. */
    void listen(SpoolListener listener) {
        this.listener = listener;
    }

    /** How many appends wait for the writer thread: what tests and diagnostics await. */
    int queued() {
        return queue.size();
    }

    /** False after a failed write until a later write succeeds. */
    boolean writable() {
        return writable;
    }

    /** Writes everything queued before this call, then stops the thread. */
    void stop() throws InterruptedException {
        stopRequested = true;
        queue.add(new PendingAppend.Stop());
        LockSupport.unpark(thread);
        thread.join();
    }

    private void run() {
        reclaim();
        List<PendingAppend> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                PendingAppend first = next();
                if (first == null) {
                    syncLate();
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch);
            try {
                gather(batch);
            } catch (InterruptedException e) {
                stopping = true;
            }
            stopping |= batch.removeIf(PendingAppend.Stop.class::isInstance);
            if (!batch.isEmpty()) {
                write(batch);
                reclaim();
                noteLateRecords();
            }
            batch.clear();
        }
        stopped = true;
        queue.drainTo(batch);
        batch.removeIf(PendingAppend.Stop.class::isInstance);
        abandon(batch, "spool closed");
        appender.close();
    }

    /** Sleeps through the commit window, then takes the messages that arrived close behind a batch that carries one. */
    private void gather(List<PendingAppend> batch) throws InterruptedException {
        if (commitWindowNanos == 0 || messageGapNanos >= commitWindowNanos || !carriesMessage(batch)) {
            return;
        }
        long deadline = System.nanoTime() + commitWindowNanos;
        long left;
        while (!stopRequested && (left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        queue.drainTo(batch);
    }

    private static boolean carriesMessage(List<PendingAppend> batch) {
        for (PendingAppend append : batch) {
            if (append instanceof PendingAppend.Message) {
                return true;
            }
        }
        return false;
    }

    /** The next work, or null when the late records' sync is due first. */
    private PendingAppend next() throws InterruptedException {
        if (syncDue == 0) {
            return queue.take();
        }
        long wait = syncDue - System.nanoTime();
        return wait <= 0 ? queue.poll() : queue.poll(wait, TimeUnit.NANOSECONDS);
    }

    private void syncLate() {
        try {
            appender.sync();
        } catch (IOException e) {
            writable = false;
            log.warn("spool sync of late DONE/PROGRESS records failed: {}", e.toString());
        }
        syncDue = 0;
    }

    /** Notes whether the appender now holds records not yet durable, and when they must be. */
    private void noteLateRecords() {
        if (!appender.unsynced()) {
            syncDue = 0;
        } else if (syncDue == 0) {
            syncDue = System.nanoTime() + lateSyncNanos;
        }
    }

    private void abandon(List<PendingAppend> batch, String reason) {
        release(batch);
        fail(batch, reason);
    }

    private void write(List<PendingAppend> batch) {
        List<EncodedRecord> records = new ArrayList<>(batch.size());
        long octets = 0;
        for (PendingAppend append : batch) {
            EncodedRecord record = encode(append);
            records.add(record);
            octets += record.size();
        }
        // A message's 250 waits for this fsync; a batch of DONE and PROGRESS records alone may be synced late.
        boolean durable = lateSyncNanos == 0 || carriesMessage(batch);
        long[] contentOffsets;
        try {
            appender.prepare();
            index.addSegment(appender.activeSegment());
            contentOffsets = appender.append(records, durable);
        } catch (IOException | RuntimeException e) {
            writable = false;
            log.warn("spool write of {} records failed, nothing of them is kept: {}", batch.size(), e.toString());
            abandon(batch, e.toString());
            return;
        }
        writable = true;
        noteLateRecords();
        metrics.written(octets);
        keepFresh(batch);
        // Released before completing, so that a caller who sees the result sees the content consumed.
        release(batch);
        completeAll(batch, contentOffsets);
    }

    /** Keeps the written content of messages held in memory for their first delivery attempt. */
    private void keepFresh(List<PendingAppend> batch) {
        for (PendingAppend append : batch) {
            if (append instanceof PendingAppend.Message message
                    && message.content() instanceof SealedContent.Memory memory) {
                fresh.keep(message.envelope().id(), memory.buffers(), memory.size());
            }
        }
    }

    private static void release(List<PendingAppend> batch) {
        for (PendingAppend append : batch) {
            if (append instanceof PendingAppend.Message message) {
                message.content().release();
            }
        }
    }

    private static EncodedRecord encode(PendingAppend append) {
        if (append instanceof PendingAppend.Message message) {
            return EncodedRecord.message(message.header(), message.content());
        }
        if (append instanceof PendingAppend.Progress progress) {
            return EncodedRecord.progress(progress.header());
        }
        return EncodedRecord.done(((PendingAppend.Done) append).id());
    }

    private void completeAll(List<PendingAppend> batch, long[] contentOffsets) {
        long segment = appender.activeSegment();
        Path path = appender.activePath();
        List<SpooledMessage> committed = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i) instanceof PendingAppend.Message message) {
                SpooledMessage spooled =
                        new SpooledMessage(message.envelope(), message.content().size(), path, contentOffsets[i]);
                index.message(segment, spooled);
                metrics.committed(message.sample());
                committed.add(spooled);
            }
        }
        // The listener hears first, so whoever sees a commit result knows the queue has the message; it hears
        // of the whole batch at once, so that the queue's thread wakes once for it.
        if (!committed.isEmpty()) {
            tell(() -> listener.committed(committed));
        }
        for (PendingAppend append : batch) {
            if (append instanceof PendingAppend.Message message) {
                message.result()
                        .complete(new CommitResult.Committed(message.envelope().id()));
            } else if (append instanceof PendingAppend.Done done) {
                fresh.drop(done.id());
                if (index.done(segment, done.id())) {
                    tell(() -> listener.finished(done.id()));
                }
                done.result().complete(null);
            } else if (append instanceof PendingAppend.Progress progress) {
                index.progress(segment, progress.id(), progress.state());
                progress.result().complete(null);
            }
        }
    }

    /** A listener's failure must not stop the writer: the record is durable whatever the listener does. */
    private static void tell(Runnable notification) {
        try {
            notification.run();
        } catch (RuntimeException e) {
            log.error("spool listener failed", e);
        }
    }

    private void fail(List<PendingAppend> batch, String reason) {
        for (PendingAppend append : batch) {
            if (append instanceof PendingAppend.Message message) {
                metrics.failed(message.sample());
                message.result()
                        .complete(new CommitResult.Failed(message.envelope().id(), reason));
            } else if (append instanceof PendingAppend.Done done) {
                done.result().completeExceptionally(new IOException("spool write failed: " + reason));
            } else if (append instanceof PendingAppend.Progress progress) {
                progress.result().completeExceptionally(new IOException("spool write failed: " + reason));
            }
        }
    }

    /**
     * Deletes segments without live messages, oldest first. A DONE record in such a segment for a
     * message in an older segment that still exists is first appended again to the active segment,
     * so that deleting it cannot bring that message back at the next start; likewise the current
     * state of a live message of an older segment whose PROGRESS lies there, so that deleting it
     * cannot roll that message's recipients back.
     */
    private void reclaim() {
        for (long segment : index.reclaimable(appender.activeSegment())) {
            try {
                carryDones(segment);
                carryProgress(segment);
                Files.deleteIfExists(layout.segment(segment));
                index.removeSegment(segment);
                // One directory fsync per deletion keeps deletions durable in order, which the carrying relies on.
                sync.forceDirectory(layout.logDirectory());
            } catch (IOException e) {
                log.warn("could not delete finished spool segment {}: {}", layout.segment(segment), e.toString());
                return;
            }
        }
    }

    private void carryDones(long segment) throws IOException {
        Map<QueueId, Long> carry = index.donesToCarry(segment);
        if (carry.isEmpty()) {
            return;
        }
        appender.prepare();
        index.addSegment(appender.activeSegment());
        List<EncodedRecord> records = new ArrayList<>();
        carry.keySet().forEach(id -> records.add(EncodedRecord.done(id)));
        appender.append(records);
        carry.forEach((id, home) -> index.carried(appender.activeSegment(), id, home));
    }

    private void carryProgress(long segment) throws IOException {
        Map<QueueId, DeliveryState> carry = index.progressToCarry(segment);
        if (carry.isEmpty()) {
            return;
        }
        appender.prepare();
        index.addSegment(appender.activeSegment());
        List<EncodedRecord> records = new ArrayList<>();
        carry.forEach((id, state) -> records.add(EncodedRecord.progress(ProgressCodec.encode(id, state))));
        appender.append(records);
        carry.forEach((id, state) -> index.progress(appender.activeSegment(), id, state));
    }
}
