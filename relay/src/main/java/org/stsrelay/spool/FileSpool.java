package org.stsrelay.spool;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.stsrelay.config.SpoolConfig;
import org.stsrelay.support.NamedThreads;

/**
 * The embedded spool: an append-only segmented log under one directory, written by one thread with
 * group commit, recovered on open, held exclusively by one relay process.
 */
public final class FileSpool implements Spool, AutoCloseable {

    private static final int IO_THREADS = 2;
    private static final long SHUTDOWN_SECONDS = 30;

    private final SpoolConfig config;
    private final SpoolLayout layout;
    private final SpoolLock lock;
    private final LogIndex index;
    private final SpoolMetrics metrics;
    private final LogWriter writer;
    private final FreshContents fresh;
    private final QueueIdGenerator ids;
    private final ExecutorService io;
    private final MemoryBudget memory;
    private final AtomicBoolean closed = new AtomicBoolean();

    private FileSpool(
            SpoolConfig config,
            SpoolLayout layout,
            SpoolLock lock,
            LogIndex index,
            SpoolMetrics metrics,
            LogWriter writer,
            FreshContents fresh,
            DiskSync sync,
            Clock clock) {
        this.fresh = fresh;
        this.config = config;
        this.layout = layout;
        this.lock = lock;
        this.index = index;
        this.metrics = metrics;
        this.writer = writer;
        this.ids = new QueueIdGenerator(clock, index.highestId());
        this.io = Executors.newFixedThreadPool(IO_THREADS, NamedThreads.daemon("spool-io"));
        this.memory = new MemoryBudget(config.memoryBudget());
    }

    /**
     * Opens (creating if missing) the spool in {@code config.directory()}, takes its lock, recovers the
     * messages it holds.
     */
    public static FileSpool open(SpoolConfig config, MeterRegistry registry, Clock clock) throws IOException {
        return open(config, registry, clock, ChannelOpener.FILES);
    }

    static FileSpool open(SpoolConfig config, MeterRegistry registry, Clock clock, ChannelOpener opener)
            throws IOException {
        validate(config);
        SpoolLayout layout = new SpoolLayout(config.directory());
        for (Path directory :
                List.of(layout.root(), layout.logDirectory(), layout.incomingDirectory(), layout.controlDirectory())) {
            Files.createDirectories(directory);
        }
        SpoolLock lock = SpoolLock.acquire(layout);
        LogIndex index = new LogIndex();
        SpoolMetrics metrics = new SpoolMetrics(registry, index, layout.root());
        try {
            removeSpillFiles(layout);
            DiskSync sync = new DiskSync(metrics::fsync);
            new LogScanner(layout).recover(index, sync);
            SegmentAppender appender =
                    new SegmentAppender(layout, opener, sync, config.segmentSize(), index.lastSegment() + 1);
            appender.prepare();
            index.addSegment(appender.activeSegment());
            FreshContents fresh = new FreshContents(config.contentCache());
            LogWriter writer = new LogWriter(
                    appender, index, layout, sync, metrics, fresh, config.stateSyncDelay(), config.commitWindow());
            FileSpool spool = new FileSpool(config, layout, lock, index, metrics, writer, fresh, sync, clock);
            spool.writer.start();
            return spool;
        } catch (IOException | RuntimeException e) {
            metrics.close();
            lock.close();
            throw e;
        }
    }

    private static void validate(SpoolConfig config) {
        if (config.directory() == null) {
            throw new IllegalArgumentException("spool.directory is required");
        }
        if (config.segmentSize() <= 0) {
            throw new IllegalArgumentException("spool.segmentSize must be positive, not " + config.segmentSize());
        }
        if (config.memoryBuffer() < 0) {
            throw new IllegalArgumentException("spool.memoryBuffer must not be negative, not " + config.memoryBuffer());
        }
    }

    /** Spill files belong to messages that were being received when the last process stopped; none got a 250. */
    private static void removeSpillFiles(SpoolLayout layout) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.incomingDirectory())) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Override
    public QueueId nextId() {
        return ids.next();
    }

    @Override
    public IncomingMessage newMessage() {
        return new BufferedMessage(config.memoryBuffer(), memory, layout.incomingDirectory(), io);
    }

    @Override
    public CompletionStage<CommitResult> commit(Envelope envelope, IncomingMessage content) {
        if (!(content instanceof BufferedMessage message)) {
            content.discard();
            throw new IllegalArgumentException("content must come from this spool's newMessage()");
        }
        Timer.Sample sample = metrics.startCommit();
        byte[] header;
        try {
            header = EnvelopeCodec.encode(envelope);
        } catch (RuntimeException e) {
            message.discard();
            metrics.failed(sample);
            return CompletableFuture.completedFuture(new CommitResult.Failed(envelope.id(), "bad envelope: " + e));
        }
        CompletableFuture<CommitResult> result = new CompletableFuture<>();
        message.seal().whenComplete((sealedContent, failure) -> {
            if (failure != null) {
                metrics.failed(sample);
                result.complete(new CommitResult.Failed(
                        envelope.id(),
                        "receiving the content failed: " + new BufferedMessage.SpillFailure(failure).getCause()));
            } else {
                writer.submit(new PendingAppend.Message(envelope, header, sealedContent, sample, result));
            }
        });
        return result;
    }

    /**
     * The content of a message committed moments ago, handed over from memory once (its first delivery
     * attempt); empty when it was not kept or was handed over already: read it from the spool then.
     */
    public Optional<byte[]> takeFreshContent(QueueId id) {
        return fresh.take(id);
    }

    /** Records, durably and group-committed, that a message is finished; it leaves the spool. */
    public CompletionStage<Void> markDone(QueueId id) {
        return markDoneFuture(id);
    }

    private CompletableFuture<Void> markDoneFuture(QueueId id) {
        if (!index.holds(id)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        writer.submit(new PendingAppend.Done(id, result));
        return result;
    }

    /**
     * Records, durably and group-committed, a message's delivery state: the complete state replaces
     * the previous one. For a message the spool no longer holds nothing is written.
     */
    public CompletionStage<Void> recordProgress(QueueId id, DeliveryState state) {
        Optional<SpooledMessage> message = index.find(id);
        if (message.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (state.recipients().size() != message.get().envelope().recipients().size()) {
            throw new IllegalArgumentException("state of " + state.recipients().size() + " recipients for message " + id
                    + " of " + message.get().envelope().recipients().size());
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        writer.submit(new PendingAppend.Progress(id, state, ProgressCodec.encode(id, state), result));
        return result;
    }

    /** The latest durable delivery state of a held message (untried when none was recorded). */
    public Optional<DeliveryState> deliveryState(QueueId id) {
        return index.deliveryState(id);
    }

    /**
     * Registers the one listener told of every message committed and finished from now on; messages
     * already held are in {@link #messages()}. Called once, before the queue starts.
     */
    public void listen(SpoolListener listener) {
        writer.listen(listener);
    }

    /** The spool's directory. */
    public Path directory() {
        return layout.root();
    }

    /** The messages held, in the order they were committed; includes those recovered at open. */
    public List<SpooledMessage> messages() {
        return index.messages().stream().sorted(SpooledMessage.LOG_ORDER).toList();
    }

    /** The message with this id, if the spool holds it. */
    public Optional<SpooledMessage> find(QueueId id) {
        return index.find(id);
    }

    /** Reads a held message's content; the caller closes the stream. */
    public InputStream openContent(SpooledMessage message) throws IOException {
        return ContentStream.open(message);
    }

    /** How many appends wait for the writer thread right now (batched into its next write). */
    int queuedWrites() {
        return writer.queued();
    }

    @Override
    public int size() {
        return index.size();
    }

    @Override
    public boolean isWritable() {
        return !closed.get() && writer.writable() && Files.isWritable(layout.logDirectory());
    }

    /** Writes what is queued, stops the spool's threads and releases the lock. */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            writer.stop();
            io.shutdown();
            io.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            fresh.close();
            metrics.close();
            lock.close();
        }
    }
}
