package org.stsrelay.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stsrelay.spool.Fixtures.commit;
import static org.stsrelay.spool.Fixtures.content;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.config.SpoolConfig;

class WriteFailureTest {

    @TempDir
    Path directory;

    private final FaultyChannel.Opener faults = new FaultyChannel.Opener();

    private FileSpool open(SimpleMeterRegistry registry) throws IOException {
        SpoolConfig config = new SpoolConfig(directory, 64L * 1024 * 1024, 4096);
        return FileSpool.open(config, registry, Fixtures.CLOCK, faults);
    }

    @Test
    void diskFullFailsTheBatchKeepsNothingAndTheNextCommitSucceeds() throws IOException {
        assertFailureIsContained(() -> faults.failWrites.set(true), () -> faults.failWrites.set(false));
    }

    @Test
    void fsyncErrorFailsTheBatchKeepsNothingAndTheNextCommitSucceeds() throws IOException {
        assertFailureIsContained(() -> faults.failForce.set(true), () -> faults.failForce.set(false));
    }

    private void assertFailureIsContained(Runnable breakDisk, Runnable repairDisk) throws IOException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Envelope before;
        Envelope failed;
        Envelope after;
        try (FileSpool spool = open(registry)) {
            before = Fixtures.fullEnvelope(spool.nextId());
            assertThat(commit(spool, before, content(1000, 1))).isInstanceOf(CommitResult.Committed.class);

            breakDisk.run();
            failed = Fixtures.fullEnvelope(spool.nextId());
            CommitResult result = commit(spool, failed, content(50_000, 2));
            assertThat(result).isInstanceOf(CommitResult.Failed.class);
            assertThat(((CommitResult.Failed) result).id()).isEqualTo(failed.id());
            assertThat(spool.isWritable()).isFalse();
            assertThat(spool.size()).isEqualTo(1);

            repairDisk.run();
            after = Fixtures.plainEnvelope(spool.nextId());
            assertThat(commit(spool, after, content(3000, 3))).isInstanceOf(CommitResult.Committed.class);
            assertThat(spool.isWritable()).isTrue();
            assertThat(registry.get("sts.relay.spool.commits")
                            .tag("result", "failed")
                            .counter()
                            .count())
                    .isEqualTo(1);
        }
        try (FileSpool spool = open(new SimpleMeterRegistry())) {
            assertThat(spool.messages()).extracting(SpooledMessage::id).containsExactly(before.id(), after.id());
            assertThat(Fixtures.read(spool, spool.find(after.id()).orElseThrow()))
                    .isEqualTo(content(3000, 3));
        }
        assertThat(new SpoolInspector(directory).list())
                .extracting(SpooledMessage::id)
                .containsExactly(before.id(), after.id());
    }
}
