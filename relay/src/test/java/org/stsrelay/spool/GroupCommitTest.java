package org.stsrelay.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {

    private static final int SENDERS = 8;
    private static final int COMMITS_PER_SENDER = 25;

    @TempDir
    Path directory;

    /**
     * Group commit, shown without relying on timing: the writer is held inside the fsync of a first
     * message while seven more are queued; all seven are then written as one batch with one fsync.
     */
    @Test
    void commitsQueuedDuringAnFsyncShareTheNextOne() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FaultyChannel.Opener disk = new FaultyChannel.Opener();
        byte[] content = Fixtures.content(1024, 2);
        try (FileSpool spool = FileSpool.open(Fixtures.config(directory), registry, Fixtures.CLOCK, disk)) {
            Counter fsyncs = registry.get("sts.relay.spool.fsync").counter();
            CountDownLatch gate = new CountDownLatch(1);
            disk.forceGate.set(gate);
            double before = fsyncs.count();
            CompletionStage<CommitResult> first = commit(spool, content);
            Fixtures.eventually(() -> disk.forcesWaiting.get() == 1);
            List<CompletionStage<CommitResult>> queued = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                queued.add(commit(spool, content));
            }
            Fixtures.eventually(() -> spool.queuedWrites() == 7);
            disk.forceGate.set(null);
            gate.countDown();

            assertThat(Fixtures.await(first)).isInstanceOf(CommitResult.Committed.class);
            assertThat(queued)
                    .allSatisfy(stage -> assertThat(Fixtures.await(stage)).isInstanceOf(CommitResult.Committed.class));
            assertThat(fsyncs.count() - before)
                    .as("one fsync for the first, one for the seven queued")
                    .isEqualTo(2.0);
            assertThat(spool.size()).isEqualTo(8);
        }
    }

    private static CompletionStage<CommitResult> commit(FileSpool spool, byte[] content) {
        IncomingMessage message = Fixtures.message(spool, content, 512);
        return spool.commit(Fixtures.plainEnvelope(spool.nextId()), message);
    }

    /** Many concurrent sessions: every commit is acknowledged as committed and counted once. */
    @Test
    void concurrentCommitsAreAllDurableAndCounted() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        byte[] content = Fixtures.content(10 * 1024, 1);
        int commits = SENDERS * COMMITS_PER_SENDER;
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), registry)) {
            double fsyncsAtStart =
                    registry.get("sts.relay.spool.fsync").counter().count();
            ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<CommitResult>>> sent = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                // Like an SMTP session: the next message only after the previous one's 250.
                sent.add(senders.submit(() -> {
                    start.await();
                    List<CommitResult> results = new ArrayList<>();
                    for (int i = 0; i < COMMITS_PER_SENDER; i++) {
                        IncomingMessage message = Fixtures.message(spool, content, 4096);
                        results.add(Fixtures.await(spool.commit(Fixtures.plainEnvelope(spool.nextId()), message)));
                    }
                    return results;
                }));
            }
            start.countDown();
            List<CommitResult> results = new ArrayList<>();
            for (Future<List<CommitResult>> sender : sent) {
                results.addAll(sender.get(30, TimeUnit.SECONDS));
            }
            senders.shutdown();
            double fsyncs = registry.get("sts.relay.spool.fsync").counter().count() - fsyncsAtStart;
            System.out.printf(
                    "group commit: %d commits, %.0f fsyncs (%.3f per commit)%n", commits, fsyncs, fsyncs / commits);
            assertThat(results).hasSize(commits).allMatch(CommitResult.Committed.class::isInstance);
            assertThat(spool.size()).isEqualTo(commits);
            assertThat(registry.get("sts.relay.spool.commits")
                            .tag("result", "committed")
                            .counter()
                            .count())
                    .isEqualTo(commits);
            assertThat(registry.get("sts.relay.spool.commit").timer().count()).isEqualTo(commits);
        }
    }
}
