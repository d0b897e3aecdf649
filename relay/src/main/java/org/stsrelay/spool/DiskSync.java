package org.stsrelay.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Every fsync the spool does goes through here, so that the fsync counter sees all of them. */
final class DiskSync {

    private final Runnable counter;

    /** Syncs that call {@code counter} once per fsync (the spool's metric; a no-op for the inspector). */
    DiskSync(Runnable counter) {
        this.counter = counter;
    }

    /** Forces a file's content (not its metadata beyond what reading it back needs). */
    void force(FileChannel channel) throws IOException {
        counter.run();
        channel.force(false);
    }

    /** Forces a directory, making file creations, renames and deletions in it durable. */
    void forceDirectory(Path directory) throws IOException {
        counter.run();
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
