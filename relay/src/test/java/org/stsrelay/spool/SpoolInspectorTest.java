package org.stsrelay.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stsrelay.spool.Fixtures.commit;
import static org.stsrelay.spool.Fixtures.content;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolInspectorTest {

    @TempDir
    Path directory;

    @Test
    void listsMessagesWhileTheRelayRunsWithoutThoseWhoseDeletionIsPending() throws Exception {
        Set<QueueId> deleting = new HashSet<>();
        SpoolInspector inspector = new SpoolInspector(directory, () -> Set.copyOf(deleting));
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            Envelope kept = Fixtures.fullEnvelope(spool.nextId());
            Envelope deleted = Fixtures.plainEnvelope(spool.nextId());
            commit(spool, kept, content(1500, 1));
            commit(spool, deleted, content(2500, 2));

            assertThat(inspector.list()).extracting(SpooledMessage::envelope).containsExactly(kept, deleted);
            assertThat(inspector.find(deleted.id())).map(SpooledMessage::size).contains(2500L);
            assertThat(Fixtures.read(inspector, kept.id())).isEqualTo(content(1500, 1));

            deleting.add(deleted.id());
            assertThat(inspector.list()).extracting(SpooledMessage::id).containsExactly(kept.id());
            assertThat(inspector.find(deleted.id())).isEmpty();
        }
    }

    @Test
    void tellsWhetherARelayHoldsTheSpool() throws Exception {
        SpoolInspector inspector = new SpoolInspector(directory);
        assertThat(inspector.inUse()).isFalse();
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            assertThat(inspector.inUse()).isTrue();
        }
        assertThat(inspector.inUse()).isFalse();
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
        assertThat(new SpoolInspector(directory).list())
                .extracting(SpooledMessage::id)
                .containsExactly(envelope.id());
    }
}
