package org.stsrelay.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.config.SpoolConfig;

/**
 * The commit window: a batch that carries a message waits for messages arriving close behind it, so they share
 * one fsync; a message that arrives alone is written at once.
 */
class CommitWindowTest {

    @TempDir
    Path directory;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private FileSpool open(Duration window) throws Exception {
        SpoolConfig base = Fixtures.config(directory);
        return Fixtures.open(
                new SpoolConfig(
                        directory,
                        base.segmentSize(),
                        base.memoryBuffer(),
                        base.memoryBudget(),
                        SpoolConfig.DEFAULT_STATE_SYNC_DELAY,
                        SpoolConfig.DEFAULT_CONTENT_CACHE,
                        window),
                registry);
    }

    private static CompletionStage<CommitResult> commit(FileSpool spool, long seed) {
        return spool.commit(
                Fixtures.plainEnvelope(spool.nextId()), Fixtures.message(spool, Fixtures.content(2048, seed), 512));
    }

    @Test
    void aMessageArrivingAloneIsWrittenAtOnceWhateverTheWindow() throws Exception {
        // Fixtures.await gives up long before a minute: the first message did not wait for the window.
        try (FileSpool spool = open(Duration.ofMinutes(1))) {
            assertThat(Fixtures.await(commit(spool, 1))).isInstanceOf(CommitResult.Committed.class);
        }
    }

    @Test
    void messagesArrivingWithinTheWindowShareOneFsync() throws Exception {
        try (FileSpool spool = open(Duration.ofSeconds(1))) {
            Counter fsyncs = registry.get("sts.relay.spool.fsync").counter();
            Fixtures.await(commit(spool, 1));
            double before = fsyncs.count();

            CompletionStage<CommitResult> second = commit(spool, 2);
            CompletionStage<CommitResult> third = commit(spool, 3);

            assertThat(Fixtures.await(second)).isInstanceOf(CommitResult.Committed.class);
            assertThat(Fixtures.await(third)).isInstanceOf(CommitResult.Committed.class);
            assertThat(fsyncs.count() - before)
                    .as("the second waited for the third")
                    .isEqualTo(1.0);
        }
    }

    @Test
    void closingDuringTheWindowWritesTheBatchAtOnce() throws Exception {
        FileSpool spool = open(Duration.ofMinutes(1));
        Fixtures.await(commit(spool, 1));
        CompletionStage<CommitResult> second = commit(spool, 2);

        // The second arrived close behind the first, so its batch waits the window: a minute, unless closed.
        CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> {
            try {
                spool.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        assertThat(Fixtures.await(second)).isInstanceOf(CommitResult.Committed.class);
        Fixtures.await(closed);
    }

    @Test
    void aZeroWindowWritesEachBatchAtOnce() throws Exception {
        try (FileSpool spool = open(Duration.ZERO)) {
            assertThat(Fixtures.await(commit(spool, 1))).isInstanceOf(CommitResult.Committed.class);
            assertThat(Fixtures.await(commit(spool, 2))).isInstanceOf(CommitResult.Committed.class);
            assertThat(spool.size()).isEqualTo(2);
        }
    }
}
