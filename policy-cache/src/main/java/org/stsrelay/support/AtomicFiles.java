package org.stsrelay.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes a file so that a reader, or a restart after a crash, sees either the old content or the whole new
 * content, never a part: a temporary file beside the target, fsync, atomic rename, fsync of the directory.
 * Temporary files start with a dot and end in {@code .tmp}, so directory scans skip them.
 */
public final class AtomicFiles {

    /** The suffix of a temporary file; a scan of the directory must ignore such names. */
    public static final String TEMPORARY_SUFFIX = ".tmp";

    private AtomicFiles() {}

    /** Writes {@code content} to {@code target} atomically and durably, creating the directory if needed. */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, () -> {});
    }

    /** The same; {@code beforeFsync} runs before each of the two fsyncs (to count them). */
    public static void write(Path target, byte[] content, Runnable beforeFsync) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = directory.resolve("." + target.getFileName() + "." + UUID.randomUUID() + TEMPORARY_SUFFIX);
        try {
            writeSynced(temporary, content, beforeFsync);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
        beforeFsync.run();
        forceDirectory(directory);
    }

    /**
     * Writes {@code content} to {@code target} durably unless {@code target} exists: the temporary file is synced,
     * then hard-linked to its name, which fails if the name is taken, so a second writer can never replace the
     * first. Returns whether this call created the file.
     */
    public static boolean create(Path target, byte[] content) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = directory.resolve("." + target.getFileName() + "." + UUID.randomUUID() + TEMPORARY_SUFFIX);
        try {
            writeSynced(temporary, content, () -> {});
            Files.createLink(target, temporary);
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(temporary);
        }
        forceDirectory(directory);
        return true;
    }

    private static void writeSynced(Path file, byte[] content, Runnable beforeFsync) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            beforeFsync.run();
            channel.force(false);
        }
    }

    /** Whether {@code file} is a temporary file of {@link #write} or {@link #create}, which a directory scan must skip. */
    public static boolean isTemporary(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.endsWith(TEMPORARY_SUFFIX);
    }

    /** Forces a directory, making file creations, renames and deletions in it durable. */
    public static void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
