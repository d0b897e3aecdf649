package org.stsrelay.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Delete requests from operators: {@code control/<ID>.delete} files. Only the relay appends to the
 * log, so a tool that must work while the relay runs leaves a tombstone and the relay turns it into
 * a DONE record.
 */
final class Tombstones {

    private static final String SUFFIX = ".delete";
    private static final String TEMPORARY_SUFFIX = ".tmp";

    /** A pending delete request. */
    record Tombstone(QueueId id, Path file, Instant modified) {
    }

    private final SpoolLayout layout;
    private final DiskSync sync;

    Tombstones(SpoolLayout layout, DiskSync sync) {
        this.layout = layout;
        this.sync = sync;
    }

    boolean exists(QueueId id) {
        return Files.exists(file(id));
    }

    /** Creates the tombstone atomically and durably: write a temporary file, fsync, rename, fsync the directory. */
    void create(QueueId id) throws IOException {
        Path directory = layout.controlDirectory();
        Files.createDirectories(directory);
        Path temporary = directory.resolve(id.value() + "." + UUID.randomUUID() + TEMPORARY_SUFFIX);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            ByteBuffer content = ByteBuffer.wrap((id.value() + "\n").getBytes(StandardCharsets.US_ASCII));
            while (content.hasRemaining()) {
                channel.write(content);
            }
            sync.force(channel);
        }
        Files.move(temporary, file(id), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        sync.forceDirectory(directory);
    }

    /** The pending tombstones; empty when there is no control directory. */
    List<Tombstone> list() throws IOException {
        List<Tombstone> tombstones = new ArrayList<>();
        if (!Files.isDirectory(layout.controlDirectory())) {
            return tombstones;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.controlDirectory(), "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                QueueId id = QueueId.parseOrNull(name.substring(0, name.length() - SUFFIX.length()));
                if (id != null && file.equals(file(id))) {
                    modified(file).ifPresent(time -> tombstones.add(new Tombstone(id, file, time)));
                }
            }
        }
        return tombstones;
    }

    /** Removes a tombstone once its DONE record is durable (or its message is long gone). */
    void remove(Tombstone tombstone) throws IOException {
        Files.deleteIfExists(tombstone.file());
    }

    /** Removes temporary files a tool left behind when it died mid-request, once they are older than {@code before}. */
    void removeAbandoned(Instant before) throws IOException {
        if (!Files.isDirectory(layout.controlDirectory())) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.controlDirectory(),
                "*" + TEMPORARY_SUFFIX)) {
            for (Path file : files) {
                if (modified(file).map(time -> time.isBefore(before)).orElse(false)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private Path file(QueueId id) {
        return layout.controlDirectory().resolve(id.value() + SUFFIX);
    }

    private static Optional<Instant> modified(Path file) throws IOException {
        try {
            return Optional.of(Files.getLastModifiedTime(file).toInstant());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
