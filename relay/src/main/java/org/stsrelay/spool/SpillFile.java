package org.stsrelay.spool;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The file a large message spills to while it is received. Used only on the spool I/O executor, one
 * task at a time per message. Not fsync'd: it is copied into the log, which is.
 */
final class SpillFile {

    private final Path path;
    private FileChannel channel;

    SpillFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /** Writes the buffers in order and releases them, whether or not the write succeeds. */
    void write(List<ByteBuf> buffers) throws IOException {
        try {
            if (channel == null) {
                channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }
            for (ByteBuf buffer : buffers) {
                ByteBuffer[] parts = buffer.nioBuffers();
                long remaining = buffer.readableBytes();
                while (remaining > 0) {
                    remaining -= channel.write(parts);
                }
            }
        } finally {
            buffers.forEach(ByteBuf::release);
        }
    }

    void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }

    void closeAndDelete() {
        try {
            close();
        } catch (IOException e) {
            // Deleting below is what matters.
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // Removed at the next start-up with every other leftover spill file.
        }
    }
}
