package org.stsrelay.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.config.SpoolConfig;

/**
 * DONE and PROGRESS records are committed late: written at once (the page cache survives a killed process), made
 * durable with the next message's fsync or after the state sync delay, and always before the spool closes.
 */
class LateStateSyncTest {

    @TempDir
    Path directory;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private SpoolConfig config(Duration stateSyncDelay) {
        SpoolConfig base = Fixtures.config(directory);
        return new SpoolConfig(directory, base.segmentSize(), base.memoryBuffer(), base.memoryBudget(), stateSyncDelay);
    }

    private Counter fsyncs() {
        return registry.get("sts.relay.spool.fsync").counter();
    }

    @Test
    void aDoneIsWrittenAtOnceWithoutAnFsyncAndSyncedWhenTheSpoolCloses() throws Exception {
        QueueId id;
        double afterDone;
        Counter fsyncs;
        try (FileSpool spool = Fixtures.open(config(Duration.ofSeconds(10)), registry)) {
            fsyncs = fsyncs();
            id = spool.nextId();
            Fixtures.commit(spool, Fixtures.plainEnvelope(id), Fixtures.content(2048, 1));
            double afterCommit = fsyncs().count();
            Fixtures.await(spool.markDone(id));
            afterDone = fsyncs().count();

            assertThat(afterDone).as("the DONE waits for a later fsync").isEqualTo(afterCommit);
            assertThat(new SpoolInspector(directory).find(id))
                    .as("written: another process reading the spool sees the message finished")
                    .isEmpty();
        }
        assertThat(fsyncs.count()).as("closing syncs the late record").isEqualTo(afterDone + 1);
        try (FileSpool reopened = Fixtures.open(config(Duration.ofSeconds(10)), new SimpleMeterRegistry())) {
            assertThat(reopened.find(id)).isEmpty();
        }
    }

    @Test
    void aMessageCommitMakesTheLateRecordsBeforeItDurableWithTheSameFsync() throws Exception {
        try (FileSpool spool = Fixtures.open(config(Duration.ofSeconds(10)), registry)) {
            Counter fsyncs = fsyncs();
            QueueId first = spool.nextId();
            Fixtures.commit(spool, Fixtures.plainEnvelope(first), Fixtures.content(2048, 1));
            Fixtures.await(spool.markDone(first));
            double before = fsyncs.count();

            QueueId second = spool.nextId();
            Fixtures.commit(spool, Fixtures.plainEnvelope(second), Fixtures.content(2048, 2));
            double afterCommit = fsyncs.count();
            spool.close();

            assertThat(afterCommit - before)
                    .as("one fsync for the message and the DONE before it")
                    .isEqualTo(1.0);
            assertThat(fsyncs.count()).as("nothing was left to sync at close").isEqualTo(afterCommit);
        }
    }

    @Test
    void lateRecordsAreSyncedWithinTheStateSyncDelayWithoutFurtherWrites() throws Exception {
        try (FileSpool spool = Fixtures.open(config(Duration.ofMillis(50)), registry)) {
            QueueId id = spool.nextId();
            Fixtures.commit(spool, Fixtures.plainEnvelope(id), Fixtures.content(2048, 1));
            double afterCommit = fsyncs().count();
            Fixtures.await(spool.markDone(id));

            Fixtures.eventually(() -> fsyncs().count() == afterCommit + 1);
        }
    }

    @Test
    void aZeroStateSyncDelaySyncsEveryDoneBeforeItCompletes() throws Exception {
        try (FileSpool spool = Fixtures.open(config(Duration.ZERO), registry)) {
            QueueId id = spool.nextId();
            Fixtures.commit(spool, Fixtures.plainEnvelope(id), Fixtures.content(2048, 1));
            double afterCommit = fsyncs().count();
            Fixtures.await(spool.markDone(id));

            assertThat(fsyncs().count()).isEqualTo(afterCommit + 1);
        }
    }
}
