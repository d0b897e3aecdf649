package org.stsrelay.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void concurrentCommitsShareFsyncs() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        byte[] content = Fixtures.content(10 * 1024, 1);
        int commits = SENDERS * COMMITS_PER_SENDER;
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), registry)) {
            double fsyncsAtStart = registry.get("sts.relay.spool.fsync").counter().count();
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
            System.out.printf("group commit: %d commits, %.0f fsyncs (%.3f per commit)%n", commits, fsyncs,
                    fsyncs / commits);
            assertThat(results).hasSize(commits).allMatch(CommitResult.Committed.class::isInstance);
            assertThat(spool.size()).isEqualTo(commits);
            assertThat(fsyncs).isLessThan(commits);
            assertThat(registry.get("sts.relay.spool.commits").tag("result", "committed").counter().count())
                    .isEqualTo(commits);
            assertThat(registry.get("sts.relay.spool.commit").timer().count()).isEqualTo(commits);
        }
    }
}
