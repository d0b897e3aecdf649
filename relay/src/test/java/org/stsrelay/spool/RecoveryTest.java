package org.stsrelay.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stsrelay.spool.Fixtures.commit;
import static org.stsrelay.spool.Fixtures.content;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryTest {

    @TempDir
    Path directory;

    private final List<QueueId> committed = new ArrayList<>();

    private Path commitThreeAndClose() throws IOException {
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            for (int i = 0; i < 3; i++) {
                Envelope envelope = Fixtures.fullEnvelope(spool.nextId());
                commit(spool, envelope, content(2000, i));
                committed.add(envelope.id());
            }
            return spool.find(committed.get(0)).orElseThrow().segment();
        }
    }

    @Test
    void truncatedLastRecordIsCutOffAndEverythingBeforeRecovers() throws IOException {
        Path segment = commitThreeAndClose();
        long lastContentOffset;
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 10);
        }
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            assertThat(spool.messages())
                    .extracting(SpooledMessage::id)
                    .containsExactly(committed.get(0), committed.get(1));
            SpooledMessage second = spool.find(committed.get(1)).orElseThrow();
            lastContentOffset = second.contentOffset() + second.size() + RecordFormat.TRAILER_SIZE;
            assertThat(segment).hasSize(lastContentOffset);
            Envelope next = Fixtures.plainEnvelope(spool.nextId());
            assertThat(commit(spool, next, content(10, 9))).isInstanceOf(CommitResult.Committed.class);
            committed.set(2, next.id());
        }
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            assertThat(spool.messages()).extracting(SpooledMessage::id).containsExactlyElementsOf(committed);
            assertThat(Fixtures.read(spool, spool.find(committed.get(1)).orElseThrow()))
                    .isEqualTo(content(2000, 1));
        }
    }

    @Test
    void garbageAfterTheLastRecordIsTruncated() throws IOException {
        Path segment = commitThreeAndClose();
        long validSize = java.nio.file.Files.size(segment);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(content(777, 42)));
        }
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            assertThat(spool.messages()).extracting(SpooledMessage::id).containsExactlyElementsOf(committed);
            assertThat(segment).hasSize(validSize);
        }
    }

    @Test
    void tornContentInTheLastRecordFailsItsChecksum() throws IOException {
        Path segment = commitThreeAndClose();
        long size = java.nio.file.Files.size(segment);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            // A crash can leave a zeroed page inside a record whose trailer made it to disk.
            channel.write(ByteBuffer.allocate(512), size - 1500);
        }
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            assertThat(spool.messages())
                    .extracting(SpooledMessage::id)
                    .containsExactly(committed.get(0), committed.get(1));
        }
    }

    @Test
    void damageInAnEarlierSegmentEndsOnlyThatSegment() throws IOException {
        Path first = commitThreeAndClose();
        SpooledMessage second;
        QueueId later;
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            second = spool.find(committed.get(1)).orElseThrow();
            Envelope envelope = Fixtures.plainEnvelope(spool.nextId());
            commit(spool, envelope, content(100, 5));
            later = envelope.id();
        }
        try (FileChannel channel = FileChannel.open(first, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), second.contentOffset() + 10);
        }
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            assertThat(spool.messages()).extracting(SpooledMessage::id).containsExactly(committed.get(0), later);
        }
    }

    @Test
    void recordOfAnUnknownTypeWithValidChecksumIsSkipped() throws IOException {
        Path segment = commitThreeAndClose();
        ByteBuffer head = ByteBuffer.allocate(RecordFormat.PREFIX_SIZE + 3);
        head.putInt(RecordFormat.MAGIC)
                .put((byte) 99)
                .putInt(3)
                .putLong(0)
                .put(new byte[] {7, 7, 7})
                .flip();
        int emptyCrc = (int) new java.util.zip.CRC32C().getValue();
        ByteBuffer trailer = RecordFormat.trailer(head, emptyCrc);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(new ByteBuffer[] {head, trailer});
        }
        long size = java.nio.file.Files.size(segment);
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            assertThat(spool.messages()).extracting(SpooledMessage::id).containsExactlyElementsOf(committed);
            assertThat(segment).hasSize(size);
        }
    }
}
