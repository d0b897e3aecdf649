package org.stsrelay.spool;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/** Reads the records of one segment in order, verifying each, until the end or the first bad record. */
final class SegmentReader {

    /**
     * Octets read ahead at a time: a scan then reads each octet of the segment once, in large sequential
     * reads, instead of several positioned reads per record (a queue of 100,000 messages has 200,000).
     */
    private static final int WINDOW = 1024 * 1024;

    /** Receives the valid records of a segment. */
    interface Visitor {
        void message(Envelope envelope, long contentOffset, long contentLength);

        void done(QueueId id);

        void progress(QueueId id, DeliveryState state);
    }

    /**
     * How a scan ended.
     *
     * @param validEnd the offset just past the last valid record
     * @param problem  why the scan stopped before the end of the file, or null when it read everything
     */
    record Result(long validEnd, String problem) {
        boolean clean() {
            return problem == null;
        }
    }

    private final FileChannel channel;
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW);
    /** The segment offset of the window's first octet, and how many of its octets are valid. */
    private long windowStart;

    private int windowLength;
    /** The segment's size when the scan began: nothing beyond it is read (a relay may be appending). */
    private long end;

    SegmentReader(FileChannel channel) {
        this.channel = channel;
    }

    /** Visits every valid record; stops at the first record that is truncated, torn or corrupt. */
    Result scan(Visitor visitor) throws IOException {
        end = channel.size();
        windowLength = 0;
        long position = 0;
        while (position < end) {
            String problem = checkPrefix(position, end);
            if (problem != null) {
                return new Result(position, problem);
            }
            ByteBuffer prefix = read(position, RecordFormat.PREFIX_SIZE);
            prefix.getInt();
            byte type = prefix.get();
            int headerLength = prefix.getInt();
            long contentLength = prefix.getLong();
            long contentOffset = position + RecordFormat.PREFIX_SIZE + headerLength;
            byte[] header = new byte[headerLength];
            read(position + RecordFormat.PREFIX_SIZE, headerLength).get(header);
            if (!verify(position, headerLength, contentOffset, contentLength)) {
                return new Result(position, "checksum mismatch at offset " + position);
            }
            problem = visit(visitor, RecordType.ofCode(type), header, contentOffset, contentLength);
            if (problem != null) {
                return new Result(position, problem + " at offset " + position);
            }
            position = contentOffset + contentLength + RecordFormat.TRAILER_SIZE;
        }
        return new Result(position, null);
    }

    private String checkPrefix(long position, long end) throws IOException {
        if (end - position < RecordFormat.PREFIX_SIZE) {
            return "truncated record at offset " + position;
        }
        ByteBuffer prefix = read(position, RecordFormat.PREFIX_SIZE);
        if (prefix.getInt() != RecordFormat.MAGIC) {
            return "no record magic at offset " + position;
        }
        prefix.get();
        int headerLength = prefix.getInt();
        long contentLength = prefix.getLong();
        if (headerLength < 0
                || headerLength > RecordFormat.MAX_HEADER_SIZE
                || contentLength < 0
                || contentLength > end - position - RecordFormat.size(headerLength, 0)) {
            return "truncated or malformed record at offset " + position;
        }
        return null;
    }

    private boolean verify(long position, int headerLength, long contentOffset, long contentLength) throws IOException {
        CRC32C contentCrc = new CRC32C();
        for (long done = 0; done < contentLength; ) {
            int length = (int) Math.min(WINDOW, contentLength - done);
            contentCrc.update(read(contentOffset + done, length));
            done += length;
        }
        ByteBuffer trailer = read(contentOffset + contentLength, RecordFormat.TRAILER_SIZE);
        int storedContentCrc = trailer.getInt();
        int storedRecordCrc = trailer.getInt();
        ByteBuffer head = read(position, RecordFormat.PREFIX_SIZE + headerLength);
        return storedContentCrc == (int) contentCrc.getValue()
                && storedRecordCrc == RecordFormat.recordCrc(head, storedContentCrc);
    }

    private static String visit(Visitor visitor, RecordType type, byte[] header, long contentOffset, long contentLength)
            throws SpoolException {
        if (type == null) {
            // Written by a later version; valid, so skipped rather than an error.
            return null;
        }
        switch (type) {
            case MESSAGE -> {
                try {
                    visitor.message(EnvelopeCodec.decode(header), contentOffset, contentLength);
                } catch (SpoolException e) {
                    throw e;
                } catch (IOException e) {
                    return "undecodable envelope (" + e.getMessage() + ")";
                }
            }
            case DONE -> {
                QueueId id = RecordFormat.doneId(header);
                if (id == null) {
                    return "malformed DONE record";
                }
                visitor.done(id);
            }
            case PROGRESS -> {
                try {
                    ProgressCodec.Progress progress = ProgressCodec.decode(header);
                    visitor.progress(progress.id(), progress.state());
                } catch (SpoolException e) {
                    throw e;
                } catch (IOException e) {
                    return "undecodable progress record (" + e.getMessage() + ")";
                }
            }
        }
        return null;
    }

    /**
     * The {@code length} octets at {@code position}: a view of the read-ahead window, valid until the next
     * read (or a buffer of their own when they do not fit in the window).
     */
    private ByteBuffer read(long position, int length) throws IOException {
        if (length > WINDOW) {
            ByteBuffer large = ByteBuffer.allocate(length);
            readFully(large, position);
            return large.flip();
        }
        if (position < windowStart || position + length > windowStart + windowLength) {
            int ahead = (int) Math.max(length, Math.min(WINDOW, end - position));
            windowLength = 0;
            window.clear().limit(ahead);
            readFully(window, position);
            windowStart = position;
            windowLength = ahead;
        }
        return window.slice((int) (position - windowStart), length);
    }

    private void readFully(ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new EOFException("segment ended at offset " + at);
            }
            at += n;
        }
    }
}
