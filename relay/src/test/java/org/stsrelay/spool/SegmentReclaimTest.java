package org.stsrelay.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stsrelay.spool.Fixtures.await;
import static org.stsrelay.spool.Fixtures.commit;
import static org.stsrelay.spool.Fixtures.content;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.config.SpoolConfig;

class SegmentReclaimTest {

    /** Two messages of {@link #CONTENT} octets (with envelope and framing) fill a segment. */
    private static final long SEGMENT_SIZE = 1000;

    private static final int CONTENT = 600;

    @TempDir
    Path directory;

    private SpoolConfig config() {
        return new SpoolConfig(directory, SEGMENT_SIZE, 64 * 1024);
    }

    private QueueId commitOne(FileSpool spool) {
        Envelope envelope = Fixtures.plainEnvelope(spool.nextId());
        assertThat(commit(spool, envelope, content(CONTENT, 1))).isInstanceOf(CommitResult.Committed.class);
        return envelope.id();
    }

    @Test
    void logRollsToANewSegmentPastTheSegmentSize() throws IOException {
        try (FileSpool spool = Fixtures.open(config(), new SimpleMeterRegistry())) {
            for (int i = 0; i < 6; i++) {
                commitOne(spool);
            }
            assertThat(spool.messages())
                    .extracting(message -> message.segment().getFileName().toString())
                    .containsExactly(segment(1), segment(1), segment(2), segment(2), segment(3), segment(3));
        }
    }

    @Test
    void segmentWhoseMessagesAreAllDoneIsDeleted() throws Exception {
        try (FileSpool spool = Fixtures.open(config(), new SimpleMeterRegistry())) {
            QueueId a = commitOne(spool);
            QueueId b = commitOne(spool);
            QueueId c = commitOne(spool);
            await(spool.markDone(a));
            assertThat(segments()).contains(segment(1));
            await(spool.markDone(b));
            // Deleting finished segments is housekeeping the writer does after completing the batch.
            Fixtures.eventually(() -> !segments().contains(segment(1)));
            assertThat(spool.messages()).extracting(SpooledMessage::id).containsExactly(c);
        }
        try (FileSpool spool = Fixtures.open(config(), new SimpleMeterRegistry())) {
            assertThat(spool.size()).isEqualTo(1);
        }
    }

    @Test
    void doneRecordForAnOlderSegmentOutlivesTheNewerSegmentHoldingIt() throws Exception {
        QueueId b;
        try (FileSpool spool = Fixtures.open(config(), new SimpleMeterRegistry())) {
            QueueId a = commitOne(spool);
            b = commitOne(spool); // segment 1: A, B
            QueueId c = commitOne(spool); // segment 2: C
            await(spool.markDone(a)); // segment 2: DONE A (A lives in segment 1)
            QueueId d = commitOne(spool); // segment 2: D
            await(spool.markDone(c)); // segment 3: DONE C
            await(spool.markDone(d)); // segment 3: DONE D; segment 2 is finished
            Fixtures.eventually(() -> !segments().contains(segment(2)));
            assertThat(segments()).contains(segment(1));
            assertThat(spool.messages()).extracting(SpooledMessage::id).containsExactly(b);
        }
        try (FileSpool spool = Fixtures.open(config(), new SimpleMeterRegistry())) {
            // Without DONE A carried out of segment 2, A would be back.
            assertThat(spool.messages()).extracting(SpooledMessage::id).containsExactly(b);
            await(spool.markDone(b));
            Fixtures.eventually(() -> !segments().contains(segment(1)));
        }
        try (FileSpool spool = Fixtures.open(config(), new SimpleMeterRegistry())) {
            assertThat(spool.size()).isZero();
            // Open starts a new active segment (5); the writer thread reclaims the finished segment 4,
            // which holds only DONE records, as its first job: asynchronously, after open returns.
            Fixtures.eventually(() -> segments().equals(List.of(segment(5))));
        }
    }

    private static String segment(long number) {
        return SpoolLayout.segmentName(number);
    }

    private List<String> segments() {
        try (Stream<Path> files = Files.list(directory.resolve("log"))) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
