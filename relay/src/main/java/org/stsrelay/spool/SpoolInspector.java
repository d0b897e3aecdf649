package org.stsrelay.spool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Operator access to a spool without its lock, whether or not a relay runs on it: reads the log
 * read-only and asks for deletions through tombstones, which only the relay turns into log records.
 */
public final class SpoolInspector {

    private final SpoolLayout layout;
    private final Tombstones tombstones;

    /** An inspector of the spool in {@code directory}. */
    public SpoolInspector(Path directory) {
        this.layout = new SpoolLayout(directory);
        this.tombstones = new Tombstones(layout, new DiskSync(() -> { }));
    }

    /** A held message with its delivery state as last recorded. */
    public record Entry(SpooledMessage message, DeliveryState state) {
    }

    /** The messages held, in the order they were committed, without those finished or with a pending delete request. */
    public List<SpooledMessage> list() throws IOException {
        return entries().stream().map(Entry::message).toList();
    }

    /** Like {@link #list()}, each message with its recipients' delivery states. */
    public List<Entry> entries() throws IOException {
        if (!Files.isDirectory(layout.root())) {
            throw new SpoolException("no spool at " + layout.root());
        }
        // Tombstones before the log: the relay removes a tombstone only after its DONE is durable, so a
        // tombstone gone by now has its DONE in the log read next. Read the other way round, a sweep
        // between the two reads would show a deleted message again.
        Set<QueueId> deleting = tombstones.list().stream().map(Tombstones.Tombstone::id).collect(Collectors.toSet());
        LogIndex index = new LogIndex();
        new LogScanner(layout).read(index);
        return index.messages().stream()
                .filter(message -> !deleting.contains(message.id()))
                .sorted(SpooledMessage.LOG_ORDER)
                .map(message -> new Entry(message, index.deliveryState(message.id()).orElseThrow()))
                .toList();
    }

    /** The control directory, where requests for the running relay are left. */
    public Path controlDirectory() {
        return layout.controlDirectory();
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

    /** Asks the relay to delete a message: durably records a tombstone, applied within a second while the relay runs. */
    public DeleteRequest requestDelete(QueueId id) throws IOException {
        if (tombstones.exists(id)) {
            return DeleteRequest.ALREADY_REQUESTED;
        }
        if (find(id).isEmpty()) {
            return DeleteRequest.NOT_FOUND;
        }
        tombstones.create(id);
        return DeleteRequest.REQUESTED;
    }
}
