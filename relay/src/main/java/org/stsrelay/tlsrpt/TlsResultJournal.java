package org.stsrelay.tlsrpt;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.delivery.TlsResult;
import org.stsrelay.delivery.TlsResultSink;
import org.stsrelay.support.NamedThreads;

/**
 * The durable, append-only record of every TLS result delivery reports (RFC 8460 §4.2): the input of
 * the daily reports.
 *
 * <p>{@link #record} only queues (event loops never wait for disk); one writer thread appends
 * to the file of the result's UTC day and fsyncs at most once a second. A crash therefore loses at most
 * the results of the last second (plus whatever was still queued), an accepted loss: a report is
 * an aggregate, and a second of sessions does not change what a receiver learns from it. When the queue
 * is full, results are dropped and counted rather than slowing delivery.
 */
public final class TlsResultJournal implements TlsResultSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TlsResultJournal.class);
    private static final int DEFAULT_CAPACITY = 65_536;
    private static final long SYNC_INTERVAL_MILLIS = 1_000;

    private final Path directory;
    private final Clock clock;
    private final MeterRegistry registry;
    private final BlockingQueue<JournalEntry> queue;
    private final JournalFormat format = new JournalFormat();
    private final Counter dropped;
    private final AtomicBoolean droppedLogged = new AtomicBoolean();
    private final Thread writer;
    private volatile boolean closing;

    private FileChannel channel;
    private LocalDate channelDay;
    private boolean dirty;
    private long lastSync;

    private TlsResultJournal(Path directory, MeterRegistry registry, Clock clock, int capacity) {
        this.directory = directory;
        this.clock = clock;
        this.registry = registry;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.dropped = Counter.builder("sts.relay.tlsrpt.results.dropped")
                .description("TLS results not recorded because the journal queue was full")
                .register(registry);
        this.lastSync = clock.millis();
        this.writer = NamedThreads.daemon("tlsrpt-journal").newThread(this::writeLoop);
    }

    /** Opens the journal in {@code directory} (created if needed) and starts its writer. */
    public static TlsResultJournal open(Path directory, MeterRegistry registry, Clock clock) throws IOException {
        return open(directory, registry, clock, DEFAULT_CAPACITY);
    }

    /** As {@link #open(Path, MeterRegistry, Clock)} with a queue of {@code capacity} results. */
    static TlsResultJournal open(Path directory, MeterRegistry registry, Clock clock, int capacity) throws IOException {
        Files.createDirectories(directory);
        TlsResultJournal journal = new TlsResultJournal(directory, registry, clock, capacity);
        journal.writer.start();
        return journal;
    }

    /** Queues one result for the journal; never blocks. */
    @Override
    public void record(TlsResult result) {
        JournalEntry entry = JournalEntry.of(result);
        if (closing || !queue.offer(entry)) {
            dropped.increment();
            if (droppedLogged.compareAndSet(false, true)) {
                LOG.warn("TLS-RPT journal queue full or closed: results are being dropped (see metric "
                        + "sts.relay.tlsrpt.results.dropped)");
            }
            return;
        }
        registry.counter(
                        "sts.relay.tlsrpt.results",
                        "policy_type",
                        entry.policy().type().token(),
                        "result",
                        entry.resultType().map(t -> t.token()).orElse("success"))
                .increment();
    }

    /** Writes what is queued, fsyncs and closes the file; results recorded afterwards are dropped. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeLoop() {
        List<JournalEntry> batch = new ArrayList<>();
        try {
            while (!closing || !queue.isEmpty()) {
                JournalEntry first = queue.poll(SYNC_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch);
                    write(batch);
                    batch.clear();
                }
                if (dirty && clock.millis() - lastSync >= SYNC_INTERVAL_MILLIS) {
                    sync();
                }
            }
            closeChannel();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (IOException | UncheckedIOException e) {
            // The journal is lost for this run; delivery must go on, so the failure is logged, not thrown.
            LOG.error("TLS-RPT journal in {} failed, results are no longer recorded: {}", directory, e.getMessage());
            closing = true;
        }
    }

    private void write(List<JournalEntry> batch) throws IOException {
        for (JournalEntry entry : batch) {
            LocalDate day = JournalFormat.dayOf(entry.at());
            if (!day.equals(channelDay)) {
                switchTo(day);
            }
            ByteBuffer line = ByteBuffer.wrap(format.encode(entry));
            while (line.hasRemaining()) {
                channel.write(line);
            }
            dirty = true;
        }
    }

    private void switchTo(LocalDate day) throws IOException {
        closeChannel();
        channel = FileChannel.open(
                JournalFormat.file(directory, day),
                StandardOpenOption.CREATE,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        // Append-only by position: this thread is the file's only writer (READ excludes APPEND mode).
        channel.position(channel.size());
        channelDay = day;
        endTornTail();
    }

    /** After a crash the file may end inside a record; a newline keeps that torn record off the next one. */
    private void endTornTail() throws IOException {
        long size = channel.size();
        if (size == 0) {
            return;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        channel.read(last, size - 1);
        if (last.get(0) != '\n') {
            channel.write(ByteBuffer.wrap(new byte[] {'\n'}), size);
            channel.position(size + 1);
            dirty = true;
        }
    }

    private void sync() throws IOException {
        channel.force(false);
        dirty = false;
        lastSync = clock.millis();
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            if (dirty) {
                sync();
            }
            channel.close();
            channel = null;
            channelDay = null;
        }
    }
}
