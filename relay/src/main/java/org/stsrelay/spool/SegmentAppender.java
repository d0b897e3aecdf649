package org.stsrelay.spool;

import io.netty.buffer.ByteBuf;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the active segment: appends batches of records with gathering writes and one fsync (or, for records
 * that may be committed late, none yet), rolls to a new segment past the size limit, and takes a failed batch
 * back out of the file. Used by the writer thread only.
 */
final class SegmentAppender implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(SegmentAppender.class);

    private final SpoolLayout layout;
    private final ChannelOpener opener;
    private final DiskSync sync;
    private final long segmentSize;
    private long nextSegment;
    private long activeSegment = -1;
    private FileChannel channel;
    private long position;
    /** Set when a failed batch could not be cut off again; the segment is then abandoned. */
    private boolean broken;
    /** Records were written to the active segment after its last fsync. */
    private boolean unsynced;

    SegmentAppender(SpoolLayout layout, ChannelOpener opener, DiskSync sync, long segmentSize, long firstSegment) {
        this.layout = layout;
        this.opener = opener;
        this.sync = sync;
        this.segmentSize = segmentSize;
        this.nextSegment = firstSegment;
    }

    long activeSegment() {
        return activeSegment;
    }

    Path activePath() {
        return layout.segment(activeSegment);
    }

    /** Makes sure there is an active segment to append to: opens a new one when none is open, it is full or broken. */
    void prepare() throws IOException {
        if (channel != null && !broken && position < segmentSize) {
            return;
        }
        // Late records of the segment being closed become durable before anything goes into the next one.
        sync();
        long number = nextSegment++;
        FileChannel next = opener.open(layout.segment(number), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            // The new file's directory entry must be durable before anything in it is acknowledged.
            sync.forceDirectory(layout.logDirectory());
        } catch (IOException e) {
            next.close();
            throw e;
        }
        closeActive();
        channel = next;
        activeSegment = number;
        position = 0;
        broken = false;
    }

    /**
     * Appends the records and fsyncs once; returns where each record's content starts. On failure the
     * file is truncated back to where the batch began, so that nothing of it is kept.
     */
    long[] append(List<EncodedRecord> records) throws IOException {
        return append(records, true);
    }

    /**
     * Appends the records, with one fsync when {@code durable}, else leaving them to a later {@link #sync()}
     * (the page cache already survives a crash of the process, not of the machine).
     */
    long[] append(List<EncodedRecord> records, boolean durable) throws IOException {
        long start = position;
        long[] contentOffsets = new long[records.size()];
        List<ByteBuffer> gathered = new ArrayList<>();
        long at = start;
        try {
            for (int i = 0; i < records.size(); i++) {
                EncodedRecord record = records.get(i);
                contentOffsets[i] = at + record.head().remaining();
                gathered.add(record.head().duplicate());
                if (record.content() instanceof SealedContent.Spilled spilled) {
                    flush(gathered);
                    transfer(spilled);
                } else if (record.content() instanceof SealedContent.Memory memory) {
                    for (ByteBuf buffer : memory.buffers()) {
                        Collections.addAll(gathered, buffer.nioBuffers());
                    }
                }
                gathered.add(record.trailer().duplicate());
                at += record.size();
            }
            flush(gathered);
            if (durable) {
                sync.force(channel);
            }
        } catch (IOException | RuntimeException e) {
            rollback(start);
            throw e;
        }
        position = at;
        unsynced = !durable;
        return contentOffsets;
    }

    /** Whether records were appended since the last fsync. */
    boolean unsynced() {
        return unsynced;
    }

    /** Makes every record appended so far durable; nothing to do when the last append was. */
    void sync() throws IOException {
        if (unsynced && channel != null) {
            sync.force(channel);
            unsynced = false;
        }
    }

    private void flush(List<ByteBuffer> gathered) throws IOException {
        ByteBuffer[] buffers = gathered.toArray(ByteBuffer[]::new);
        long remaining = 0;
        for (ByteBuffer buffer : buffers) {
            remaining += buffer.remaining();
        }
        while (remaining > 0) {
            remaining -= channel.write(buffers);
        }
        gathered.clear();
    }

    private void transfer(SealedContent.Spilled spilled) throws IOException {
        try (FileChannel in = FileChannel.open(spilled.file(), StandardOpenOption.READ)) {
            long done = 0;
            while (done < spilled.size()) {
                long n = in.transferTo(done, spilled.size() - done, channel);
                if (n <= 0) {
                    throw new IOException("spill file " + spilled.file() + " ended after " + done + " octets");
                }
                done += n;
            }
        }
    }

    private void rollback(long start) {
        try {
            channel.truncate(start);
            channel.position(start);
            sync.force(channel);
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "could not cut a failed write out of spool segment {} ({}); continuing in a new segment",
                    activePath(),
                    e.toString());
            broken = true;
        }
    }

    private void closeActive() {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.warn("closing spool segment {} failed: {}", activePath(), e.toString());
        }
    }

    @Override
    public void close() {
        try {
            sync();
        } catch (IOException e) {
            log.warn("the last records of spool segment {} may not be durable: {}", activePath(), e.toString());
        }
        closeActive();
        channel = null;
    }
}
