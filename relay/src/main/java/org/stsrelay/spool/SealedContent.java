package org.stsrelay.spool;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The complete content of a message handed to the writer: in memory, or in a spill file. */
sealed interface SealedContent permits SealedContent.Memory, SealedContent.Spilled {

    long size();

    /** CRC32C of the content, computed as it arrived. */
    int crc();

    /** Frees what holds the content; called by the writer once the record is written or failed. */
    void release();

    /** Content held as buffers the writer owns; {@code freed} gives their memory budget back. */
    record Memory(List<ByteBuf> buffers, long size, int crc, Runnable freed) implements SealedContent {
        @Override
        public void release() {
            buffers.forEach(ByteBuf::release);
            freed.run();
        }
    }

    /** Content in a closed spill file, copied into the log and then deleted. */
    record Spilled(Path file, long size, int crc) implements SealedContent {
        @Override
        public void release() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // Removed at the next start-up with every other leftover spill file.
            }
        }
    }
}
