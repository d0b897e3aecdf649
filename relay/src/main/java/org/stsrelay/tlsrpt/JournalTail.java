package org.stsrelay.tlsrpt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Reads what a day file of the journal holds past a position, for shipping: only complete lines, and only after
 * they are on disk. The journal's own writer fsyncs at most once a second; a position shipped before that fsync
 * could lie beyond what a crash keeps, and the lines written again after the restart would never be shipped.
 */
final class JournalTail {

    /** The most one chunk reads; more waits for the next chunk, so memory stays small after an outage. */
    static final int MAX_CHUNK_BYTES = 8 << 20;

    private static final int SCAN_BYTES = 64 * 1024;

    private final Path directory;
    private final int maxChunkBytes;
    private final JournalFormat format = new JournalFormat();

    JournalTail(Path directory) {
        this(directory, MAX_CHUNK_BYTES);
    }

    JournalTail(Path directory, int maxChunkBytes) {
        this.directory = directory;
        this.maxChunkBytes = maxChunkBytes;
    }

    /** The complete lines of {@code day} from {@code from} on, fsynced first; empty when there are none. */
    Optional<JournalChunk> read(LocalDate day, long from) throws IOException {
        try (FileChannel channel = FileChannel.open(JournalFormat.file(directory, day), StandardOpenOption.READ)) {
            long size = channel.size();
            if (size <= from) {
                return Optional.empty();
            }
            // fsync on any descriptor of the file writes its dirty pages and inode (size) to disk.
            channel.force(true);
            ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(size - from, maxChunkBytes));
            while (bytes.hasRemaining() && channel.read(bytes, from + bytes.position()) > 0) {
                // read until full: the file holds at least this much
            }
            int end = lastNewline(bytes.array(), bytes.position()) + 1;
            if (end == 0) {
                return tooLongOrIncomplete(day, from, bytes.position());
            }
            boolean more = size - from > bytes.capacity();
            return Optional.of(chunk(day, from, bytes.array(), end, more));
        } catch (NoSuchFileException absent) {
            return Optional.empty();
        }
    }

    private Optional<JournalChunk> tooLongOrIncomplete(LocalDate day, long from, int read) throws IOException {
        if (read < maxChunkBytes) {
            return Optional.empty(); // the writer is in the middle of a line
        }
        throw new IOException("journal " + JournalFormat.file(directory, day) + " has a line longer than "
                + maxChunkBytes + " bytes at " + from);
    }

    private JournalChunk chunk(LocalDate day, long from, byte[] bytes, int end, boolean more) {
        ResultCounter counter = new ResultCounter();
        int start = 0;
        for (int nl = indexOf(bytes, start, end); nl >= 0; nl = indexOf(bytes, start, end)) {
            // Torn lines (a crash cut them short, the writer ended them with a newline) fail their CRC: skipped.
            format.decode(new String(bytes, start, nl - start, StandardCharsets.UTF_8))
                    .filter(e -> JournalFormat.dayOf(e.at()).equals(day))
                    .ifPresent(counter::add);
            start = nl + 1;
        }
        return new JournalChunk(day, from, from + end, counter.groups(), counter.total(), more);
    }

    /**
     * Counts the lines of {@code day} from {@code from} on without decoding them, for the unshipped-results
     * gauge while the database is away; returns the count and where the last complete line ends.
     */
    LineCount countLines(LocalDate day, long from) throws IOException {
        try (FileChannel channel = FileChannel.open(JournalFormat.file(directory, day), StandardOpenOption.READ)) {
            ByteBuffer block = ByteBuffer.allocate(SCAN_BYTES);
            long lines = 0;
            long end = from;
            long position = from;
            for (int n = channel.read(block, position); n > 0; n = channel.read(block, position)) {
                for (int i = 0; i < n; i++) {
                    if (block.get(i) == '\n') {
                        lines++;
                        end = position + i + 1;
                    }
                }
                position += n;
                block.clear();
            }
            return new LineCount(lines, end);
        } catch (NoSuchFileException absent) {
            return new LineCount(0, from);
        }
    }

    /** Lines counted, and the position after the last of them. */
    record LineCount(long lines, long end) {}

    private static int lastNewline(byte[] bytes, int length) {
        for (int i = length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] bytes, int start, int end) {
        for (int i = start; i < end; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
