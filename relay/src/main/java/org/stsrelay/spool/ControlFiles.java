package org.stsrelay.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Named request files in a spool's control directory, for tools that talk to a relay that may or may
 * not be running. A file appears whole and durably (temporary file, fsync, rename, directory fsync),
 * so the relay never reads half a request and a request survives a crash.
 */
public final class ControlFiles {

    private static final String TEMPORARY_SUFFIX = ".tmp";

    private final Path directory;
    private final DiskSync sync;

    /** The control files in {@code controlDirectory}. */
    public ControlFiles(Path controlDirectory) {
        this.directory = controlDirectory;
        this.sync = new DiskSync(() -> { });
    }

    /** Creates (or replaces) the file {@code name}; names are plain file names, no separators. */
    public void create(String name) throws IOException {
        Path target = file(name);
        Files.createDirectories(directory);
        Path temporary = directory.resolve(name + "." + UUID.randomUUID() + TEMPORARY_SUFFIX);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            ByteBuffer content = ByteBuffer.wrap((name + "\n").getBytes(StandardCharsets.UTF_8));
            while (content.hasRemaining()) {
                channel.write(content);
            }
            sync.force(channel);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        sync.forceDirectory(directory);
    }

    /** Whether the file {@code name} exists. */
    public boolean exists(String name) {
        return Files.exists(file(name));
    }

    /** Removes the file {@code name}; true when it existed. */
    public boolean remove(String name) throws IOException {
        boolean removed = Files.deleteIfExists(file(name));
        if (removed) {
            sync.forceDirectory(directory);
        }
        return removed;
    }

    /** The names of the files matching the glob {@code pattern}, sorted; temporary files are never listed. */
    public List<String> list(String pattern) throws IOException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return names;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, pattern)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!name.endsWith(TEMPORARY_SUFFIX)) {
                    names.add(name);
                }
            }
        } catch (DirectoryIteratorException vanished) {
            // The directory went away while being read: an I/O failure like any other, not a crash of the poller.
            throw vanished.getCause();
        }
        names.sort(String::compareTo);
        return names;
    }

    private Path file(String name) {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")
                || name.endsWith(TEMPORARY_SUFFIX)) {
            throw new IllegalArgumentException("not a control file name: " + name);
        }
        return directory.resolve(name);
    }
}
