package org.stsrelay.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stsrelay.spool.Fixtures.commit;
import static org.stsrelay.spool.Fixtures.content;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolInspectorTest {

    @TempDir
    Path directory;

    @Test
    void listsMessagesWhileTheRelayRunsAndTheRunningSpoolAppliesADeleteRequest() throws Exception {
        SpoolInspector inspector = new SpoolInspector(directory);
        Envelope kept;
        Envelope deleted;
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            kept = Fixtures.fullEnvelope(spool.nextId());
            deleted = Fixtures.plainEnvelope(spool.nextId());
            commit(spool, kept, content(1500, 1));
            commit(spool, deleted, content(2500, 2));

            assertThat(inspector.list()).extracting(SpooledMessage::envelope).containsExactly(kept, deleted);
            assertThat(inspector.find(deleted.id())).map(SpooledMessage::size).contains(2500L);
            assertThat(Fixtures.read(inspector, kept.id())).isEqualTo(content(1500, 1));

            assertThat(inspector.requestDelete(deleted.id())).isEqualTo(DeleteRequest.REQUESTED);
            assertThat(inspector.list()).extracting(SpooledMessage::id).containsExactly(kept.id());

            Fixtures.eventually(() -> spool.size() == 1 && !Files.exists(tombstone(deleted.id())));
            assertThat(spool.find(deleted.id())).isEmpty();
        }
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            assertThat(spool.messages()).extracting(SpooledMessage::id).containsExactly(kept.id());
        }
        assertThat(inspector.list()).extracting(SpooledMessage::id).containsExactly(kept.id());
        assertThat(inspector.requestDelete(deleted.id())).isEqualTo(DeleteRequest.NOT_FOUND);
    }

    @Test
    void aSecondDeleteRequestForTheSameMessageIsReportedAsAlreadyMade() throws Exception {
        SpoolInspector inspector = new SpoolInspector(directory);
        // A control interval longer than the test: the running spool does not apply the request meanwhile.
        try (FileSpool spool = FileSpool.open(Fixtures.config(directory), new SimpleMeterRegistry(), Fixtures.CLOCK,
                ChannelOpener.FILES, Duration.ofHours(1))) {
            Envelope envelope = Fixtures.plainEnvelope(spool.nextId());
            commit(spool, envelope, content(100, 5));

            assertThat(inspector.requestDelete(envelope.id())).isEqualTo(DeleteRequest.REQUESTED);
            assertThat(inspector.requestDelete(envelope.id())).isEqualTo(DeleteRequest.ALREADY_REQUESTED);
            assertThat(inspector.list()).isEmpty();
            assertThat(spool.size()).as("not applied until the next sweep").isEqualTo(1);
        }
    }

    @Test
    void deleteRequestMadeWhileTheRelayIsStoppedIsAppliedAtOpen() throws Exception {
        Envelope envelope;
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            envelope = Fixtures.fullEnvelope(spool.nextId());
            commit(spool, envelope, content(100, 3));
        }
        SpoolInspector inspector = new SpoolInspector(directory);
        assertThat(inspector.requestDelete(envelope.id())).isEqualTo(DeleteRequest.REQUESTED);
        assertThat(tombstone(envelope.id())).exists();
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            assertThat(spool.size()).isZero();
            assertThat(tombstone(envelope.id())).doesNotExist();
        }
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            assertThat(spool.size()).isZero();
        }
        assertThat(inspector.list()).isEmpty();
    }

    @Test
    void tombstoneForAnUnknownIdIsDroppedAtOpen() throws Exception {
        QueueId unknown = new QueueId("0000000000000000");
        new Tombstones(new SpoolLayout(directory), new DiskSync(() -> { })).create(unknown);
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            assertThat(tombstone(unknown)).doesNotExist();
        }
    }

    @Test
    void aPartiallyWrittenTailRecordIsNotListed() throws Exception {
        Envelope envelope;
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            envelope = Fixtures.fullEnvelope(spool.nextId());
            commit(spool, envelope, content(100, 4));
            Path segment = spool.find(envelope.id()).orElseThrow().segment();
            // What a concurrent reader can see of a record being written: its first part only.
            byte[] record = Files.readAllBytes(segment);
            Path copy = Files.createDirectories(directory.resolve("copy/log")).resolve(segment.getFileName());
            Files.write(copy, java.util.Arrays.copyOf(record, record.length - 20));
        }
        assertThat(new SpoolInspector(directory.resolve("copy")).list()).isEmpty();
        assertThat(new SpoolInspector(directory).list()).extracting(SpooledMessage::id).containsExactly(envelope.id());
    }

    private Path tombstone(QueueId id) {
        return directory.resolve("control").resolve(id.value() + ".delete");
    }
}
