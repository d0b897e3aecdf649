package org.stsrelay.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stsrelay.spool.Fixtures.await;
import static org.stsrelay.spool.Fixtures.commit;
import static org.stsrelay.spool.Fixtures.content;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.config.SpoolConfig;

class FileSpoolRoundTripTest {

    @TempDir
    Path directory;

    private SpoolConfig config() {
        return new SpoolConfig(directory, 64L * 1024 * 1024, 4096);
    }

    @Test
    void committedMessageSurvivesReopenWithEveryEnvelopeFieldAndExactContent() throws IOException {
        byte[] small = content(1000, 1);
        Envelope full;
        Envelope plain;
        byte[] empty = new byte[0];
        try (FileSpool spool = Fixtures.open(config(), new SimpleMeterRegistry())) {
            full = Fixtures.fullEnvelope(spool.nextId());
            plain = Fixtures.plainEnvelope(spool.nextId());
            assertThat(commit(spool, full, small)).isEqualTo(new CommitResult.Committed(full.id()));
            assertThat(commit(spool, plain, empty)).isEqualTo(new CommitResult.Committed(plain.id()));
            assertThat(spool.size()).isEqualTo(2);
        }
        try (FileSpool spool = Fixtures.open(config(), new SimpleMeterRegistry())) {
            assertThat(spool.size()).isEqualTo(2);
            SpooledMessage first = spool.find(full.id()).orElseThrow();
            assertThat(first.envelope()).isEqualTo(full);
            assertThat(first.size()).isEqualTo(small.length);
            assertThat(Fixtures.read(spool, first)).isEqualTo(small);
            SpooledMessage second = spool.find(plain.id()).orElseThrow();
            assertThat(second.envelope()).isEqualTo(plain);
            assertThat(Fixtures.read(spool, second)).isEmpty();
        }
    }

    @Test
    void messageLargerThanMemoryBufferSpillsAndRoundTrips() throws IOException {
        byte[] large = content(300_000, 2);
        Envelope envelope;
        try (FileSpool spool = Fixtures.open(config(), new SimpleMeterRegistry())) {
            envelope = Fixtures.fullEnvelope(spool.nextId());
            IncomingMessage message = Fixtures.message(spool, large, 3000);
            assertThat(message.size()).isEqualTo(large.length);
            assertThat(spillFiles()).hasSize(1);
            assertThat(await(spool.commit(envelope, message))).isInstanceOf(CommitResult.Committed.class);
            assertThat(spillFiles()).isEmpty();
        }
        try (FileSpool spool = Fixtures.open(config(), new SimpleMeterRegistry())) {
            SpooledMessage message = spool.find(envelope.id()).orElseThrow();
            assertThat(message.envelope()).isEqualTo(envelope);
            assertThat(Fixtures.read(spool, message)).isEqualTo(large);
        }
    }

    @Test
    void sharedMemoryBudgetSpillsMessagesOnceItIsTakenAndIsGivenBackByCommit() throws IOException {
        SpoolConfig tight = new SpoolConfig(directory, 64L * 1024 * 1024, 64 * 1024, 10_000);
        byte[] first = content(8_000, 10);
        byte[] second = content(8_000, 11);
        try (FileSpool spool = Fixtures.open(tight, new SimpleMeterRegistry())) {
            IncomingMessage a = Fixtures.message(spool, first, 1000);
            assertThat(spillFiles()).isEmpty();
            IncomingMessage b = Fixtures.message(spool, second, 1000);
            assertThat(spillFiles())
                    .as("the budget is taken: the second message goes to disk")
                    .hasSize(1);
            assertThat(await(spool.commit(Fixtures.plainEnvelope(spool.nextId()), a)))
                    .isInstanceOf(CommitResult.Committed.class);
            IncomingMessage c = Fixtures.message(spool, content(8_000, 12), 1000);
            assertThat(spillFiles())
                    .as("the first message's commit gave its memory back")
                    .hasSize(1);
            SpooledMessage spilled = spool.find(
                            ((CommitResult.Committed) await(spool.commit(Fixtures.plainEnvelope(spool.nextId()), b)))
                                    .id())
                    .orElseThrow();
            assertThat(Fixtures.read(spool, spilled)).isEqualTo(second);
            c.discard();
        }
    }

    @Test
    void appendedBuffersAreReleasedOnceWritten() throws IOException {
        try (FileSpool spool = Fixtures.open(config(), new SimpleMeterRegistry())) {
            ByteBuf inMemory = Unpooled.copiedBuffer(content(100, 3));
            ByteBuf spilled = Unpooled.copiedBuffer(content(10_000, 4));
            IncomingMessage message = spool.newMessage();
            await(message.append(inMemory));
            await(message.append(spilled));
            assertThat(inMemory.refCnt()).isZero();
            assertThat(spilled.refCnt()).isZero();
            ByteBuf kept = Unpooled.copiedBuffer(content(100, 5));
            IncomingMessage small = spool.newMessage();
            await(small.append(kept));
            CommitResult committed = await(spool.commit(Fixtures.plainEnvelope(spool.nextId()), small));
            assertThat(kept.refCnt())
                    .as("freed once written: the content kept for the first delivery attempt is a copy")
                    .isZero();
            assertThat(spool.takeFreshContent(((CommitResult.Committed) committed).id()))
                    .hasValueSatisfying(fresh -> assertThat(fresh).isEqualTo(content(100, 5)));
            message.discard();
        }
    }

    @Test
    void discardDeletesTheSpillFile() throws Exception {
        try (FileSpool spool = Fixtures.open(config(), new SimpleMeterRegistry())) {
            IncomingMessage message = Fixtures.message(spool, content(20_000, 6), 5000);
            assertThat(spillFiles()).hasSize(1);
            message.discard();
            message.discard();
            Fixtures.eventually(() -> spillFiles().isEmpty());
            assertThat(spool.size()).isZero();
        }
    }

    @Test
    void leftoverSpillFilesAreRemovedOnOpen() throws IOException {
        Path incoming = Files.createDirectories(directory.resolve("incoming"));
        Files.write(incoming.resolve("crashed.spill"), content(5000, 7));
        try (FileSpool spool = Fixtures.open(config(), new SimpleMeterRegistry())) {
            assertThat(spillFiles()).isEmpty();
            assertThat(spool.size()).isZero();
        }
    }

    @Test
    void commitOfDiscardedMessageFailsWithoutKeepingAnything() throws IOException {
        try (FileSpool spool = Fixtures.open(config(), new SimpleMeterRegistry())) {
            IncomingMessage message = Fixtures.message(spool, content(100, 8), 100);
            message.discard();
            QueueId id = spool.nextId();
            assertThat(await(spool.commit(Fixtures.plainEnvelope(id), message)))
                    .isInstanceOf(CommitResult.Failed.class);
            assertThat(spool.size()).isZero();
        }
    }

    private java.util.List<Path> spillFiles() {
        try (Stream<Path> files = Files.list(directory.resolve("incoming"))) {
            return files.toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
