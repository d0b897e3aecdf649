package org.stsrelay.spool;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The spool record decoder over arbitrary segment bytes. Input: one octet of flags (bit 0: give every
 * well-framed record valid checksums, so the envelope and progress decoders see the bytes), then the
 * segment.
 */
class SegmentReaderFuzzTest {

    /** Heap a scan may use besides its 64 KiB chunk and a few copies of the input. */
    private static final long ALLOCATION_SLACK = 256 * 1024;

    private static final int COPIES = 8;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** A scan ends in a result (or a newer-version error), recovers idempotently, and allocates in proportion to the file. */
    @FuzzTest(maxDuration = "10s")
    void scanEndsInAResultAndAllocatesInProportionToTheFile(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        byte[] segment = Arrays.copyOfRange(input, 1, input.length);
        if ((input[0] & 1) != 0) {
            sealRecords(segment);
        }
        Path file = Files.createTempFile("segment-fuzz", ".seg");
        try {
            Files.write(file, segment);
            // The first scan warms up (class loading, string concatenation bootstraps); the second is measured.
            scan(file, segment.length, false);
            Scan first = scan(file, segment.length, true);
            if (first == null) {
                return;
            }
            assertThat(first.result().validEnd()).isBetween(0L, (long) segment.length);
            assertThat(first.result().clean()).isEqualTo(first.result().validEnd() == segment.length);
            assertThat(first.records()).allMatch(end -> end <= first.result().validEnd());
            // Recovery truncates a segment at validEnd; what remains must then read clean and the same.
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(first.result().validEnd());
            }
            Scan again = scan(file, segment.length, false);
            assertThat(again).isNotNull();
            assertThat(again.result().clean()).isTrue();
            assertThat(again.result().validEnd()).isEqualTo(first.result().validEnd());
            assertThat(again.records()).isEqualTo(first.records());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The result of one scan and where each visited record's content ends; null for a newer-version segment. */
    private record Scan(SegmentReader.Result result, List<Long> records) {}

    private static Scan scan(Path file, int length, boolean measure) throws IOException {
        List<Long> records = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            SegmentReader reader = new SegmentReader(channel);
            long before = THREADS.getCurrentThreadAllocatedBytes();
            SegmentReader.Result result;
            try {
                result = reader.scan(new SegmentReader.Visitor() {
                    @Override
                    public void message(Envelope envelope, long contentOffset, long contentLength) {
                        assertThat(contentOffset).isNotNegative();
                        assertThat(contentLength).isNotNegative();
                        records.add(contentOffset + contentLength);
                    }

                    @Override
                    public void done(QueueId id) {
                        assertThat(id).isNotNull();
                    }

                    @Override
                    public void progress(QueueId id, DeliveryState state) {
                        assertThat(state.recipients()).isNotEmpty();
                    }
                });
            } catch (SpoolException newerVersion) {
                // The one documented failure: a record format version this relay does not know.
                assertThat(newerVersion.getMessage()).contains("newer version");
                return null;
            }
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            // A length field never makes the reader allocate more than the file could hold.
            assertThat(measure ? allocated : 0)
                    .as("bytes allocated scanning %d octets", length)
                    .isLessThanOrEqualTo(ALLOCATION_SLACK + (long) COPIES * length);
            return new Scan(result, records);
        }
    }

    /** Writes valid CRCs into every record that is framed well, from the start until the first that is not. */
    private static void sealRecords(byte[] segment) {
        ByteBuffer bytes = ByteBuffer.wrap(segment);
        int position = 0;
        while (segment.length - position >= RecordFormat.PREFIX_SIZE && bytes.getInt(position) == RecordFormat.MAGIC) {
            int headerLength = bytes.getInt(position + 5);
            long contentLength = bytes.getLong(position + 9);
            // Compared so that a content length near Long.MAX_VALUE cannot overflow the sum.
            if (headerLength < 0
                    || contentLength < 0
                    || contentLength > segment.length - position - RecordFormat.size(headerLength, 0)) {
                return;
            }
            int contentOffset = position + RecordFormat.PREFIX_SIZE + headerLength;
            CRC32C content = new CRC32C();
            content.update(segment, contentOffset, (int) contentLength);
            int contentCrc = (int) content.getValue();
            int recordCrc = RecordFormat.recordCrc(
                    ByteBuffer.wrap(segment, position, RecordFormat.PREFIX_SIZE + headerLength), contentCrc);
            int trailer = contentOffset + (int) contentLength;
            bytes.putInt(trailer, contentCrc).putInt(trailer + 4, recordCrc);
            position = trailer + RecordFormat.TRAILER_SIZE;
        }
    }
}
