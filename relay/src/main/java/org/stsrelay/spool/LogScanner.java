package org.stsrelay.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the whole log into a {@link LogIndex}: at start-up with repair, or read-only for operators. */
final class LogScanner {

    private static final Logger log = LoggerFactory.getLogger(LogScanner.class);

    private final SpoolLayout layout;

    LogScanner(SpoolLayout layout) {
        this.layout = layout;
    }

    /**
     * Recovery: scans every segment, truncating a bad tail of the last one (a write that never got its
     * {@code 250}); a bad record in an earlier segment is logged and ends that segment's scan.
     */
    void recover(LogIndex index, DiskSync sync) throws IOException {
        List<Long> segments = layout.segmentNumbers();
        for (int i = 0; i < segments.size(); i++) {
            long segment = segments.get(i);
            boolean last = i == segments.size() - 1;
            try (FileChannel channel =
                    FileChannel.open(layout.segment(segment), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                SegmentReader.Result result = scan(index, segment, channel);
                if (!result.clean() && last) {
                    log.warn(
                            "spool segment {}: {}; truncating {} octets of a write that was never acknowledged",
                            layout.segment(segment),
                            result.problem(),
                            channel.size() - result.validEnd());
                    channel.truncate(result.validEnd());
                    sync.force(channel);
                } else if (!result.clean()) {
                    log.error(
                            "SPOOL DAMAGE in segment {}: {}; the rest of this segment ({} octets) is ignored and"
                                    + " any messages in it are lost",
                            layout.segment(segment),
                            result.problem(),
                            channel.size() - result.validEnd());
                }
            }
        }
    }

    /**
     * A read-only scan that tolerates a relay appending and deleting segments meanwhile: a partial
     * tail record is not listed, a vanished segment is skipped, and segments created during the scan
     * are read too, so DONE records moved to them are seen.
     */
    void read(LogIndex index) throws IOException {
        long scanned = -1;
        List<Long> segments = layout.segmentNumbers();
        while (!segments.isEmpty() && segments.get(segments.size() - 1) > scanned) {
            for (long segment : segments) {
                if (segment > scanned) {
                    readSegment(index, segment);
                    scanned = segment;
                }
            }
            segments = layout.segmentNumbers();
        }
    }

    private void readSegment(LogIndex index, long segment) throws IOException {
        Path file = layout.segment(segment);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            scan(index, segment, channel);
        } catch (NoSuchFileException e) {
            // The relay deleted it meanwhile: every message in it was done.
        }
    }

    private SegmentReader.Result scan(LogIndex index, long segment, FileChannel channel) throws IOException {
        index.addSegment(segment);
        Path file = layout.segment(segment);
        return new SegmentReader(channel).scan(new SegmentReader.Visitor() {
            @Override
            public void message(Envelope envelope, long contentOffset, long contentLength) {
                index.message(segment, new SpooledMessage(envelope, contentLength, file, contentOffset));
            }

            @Override
            public void done(QueueId id) {
                index.done(segment, id);
            }

            @Override
            public void progress(QueueId id, DeliveryState state) {
                index.progress(segment, id, state);
            }
        });
    }
}
