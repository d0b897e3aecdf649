package org.stsrelay.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolLockTest {

    @TempDir
    Path directory;

    @Test
    void secondOpenOfALockedSpoolFailsNamingTheDirectory() throws IOException {
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            assertThatThrownBy(() -> Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry()))
                    .isInstanceOf(SpoolException.class)
                    .hasMessage("spool " + directory.toAbsolutePath() + " is in use by another relay process");
            assertThat(spool.isWritable()).isTrue();
        }
        try (FileSpool reopened = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            assertThat(reopened.isWritable()).isTrue();
        }
    }

    @Test
    void openCreatesTheDirectoryTree() throws IOException {
        Path nested = directory.resolve("a/b/spool");
        try (FileSpool spool = Fixtures.open(Fixtures.config(nested), new SimpleMeterRegistry())) {
            assertThat(nested.resolve("log")).isDirectory();
            assertThat(nested.resolve("incoming")).isDirectory();
            assertThat(nested.resolve("control")).isDirectory();
            assertThat(nested.resolve("LOCK")).isRegularFile();
        }
    }

    @Test
    void closedSpoolIsNotWritableAndFailsCommits() throws IOException {
        FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry());
        IncomingMessage message = Fixtures.message(spool, Fixtures.content(10, 1), 10);
        spool.close();
        assertThat(spool.isWritable()).isFalse();
        assertThat(Fixtures.await(spool.commit(Fixtures.plainEnvelope(spool.nextId()), message)))
                .isInstanceOf(CommitResult.Failed.class);
    }
}
