package org.stsrelay.spool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Operator access to a spool without its lock, whether or not a relay runs on it: reads the log
 * read-only; deletions are requests to the relay (the control plane), which alone turns them into log records.
 */
public final class SpoolInspector {

    /** The ids of messages an operator asked to delete whose deletion the relay has not yet recorded. */
    @FunctionalInterface
    public interface PendingDeletes {
        /** The ids now pending. */
        Set<QueueId> ids() throws IOException;
    }

    private final SpoolLayout layout;
    private final PendingDeletes deleting;

    /** An inspector of the spool in {@code directory} that hides the messages {@code deleting} names. */
    public SpoolInspector(Path directory, PendingDeletes deleting) {
        this.layout = new SpoolLayout(directory);
        this.deleting = deleting;
    }

    /** An inspector of the spool in {@code directory}, with no deletions pending. */
    public SpoolInspector(Path directory) {
        this(directory, Set::of);
    }

    /** A held message with its delivery state as last recorded. */
    public record Entry(SpooledMessage message, DeliveryState state) {}

    /** The messages held, in the order they were committed, without those finished or with a pending delete request. */
    public List<SpooledMessage> list() throws IOException {
        return entries().stream().map(Entry::message).toList();
    }

    /** Like {@link #list()}, each message with its recipients' delivery states. */
    public List<Entry> entries() throws IOException {
        if (!Files.isDirectory(layout.root())) {
            throw new SpoolException("no spool at " + layout.root());
        }
        // Pending deletions before the log: the relay removes a delete request only after its DONE is durable,
        // so a request gone by now has its DONE in the log read next. Read the other way round, a deletion
        // applied between the two reads would show a deleted message again.
        Set<QueueId> deleting = this.deleting.ids();
        LogIndex index = new LogIndex();
        new LogScanner(layout).read(index);
        return index.messages().stream()
                .filter(message -> !deleting.contains(message.id()))
                .sorted(SpooledMessage.LOG_ORDER)
                .map(message ->
                        new Entry(message, index.deliveryState(message.id()).orElseThrow()))
                .toList();
    }

    /** Whether a relay runs on this spool now (it holds the spool's lock). */
    public boolean inUse() throws IOException {
        if (!Files.isDirectory(layout.root())) {
            return false;
        }
        try (SpoolLock free = SpoolLock.acquire(layout)) {
            return false;
        } catch (SpoolException held) {
            return true;
        }
    }

    /** The message with this id, if listed. */
    public Optional<SpooledMessage> find(QueueId id) throws IOException {
        return list().stream().filter(message -> message.id().equals(id)).findFirst();
    }

    /** Copies a message's content to {@code out}; false when the message is not listed. */
    public boolean copyContent(QueueId id, OutputStream out) throws IOException {
        Optional<SpooledMessage> message = find(id);
        if (message.isEmpty()) {
            return false;
        }
        try (InputStream in = ContentStream.open(message.get())) {
            in.transferTo(out);
        }
        return true;
    }
}
