package org.stsrelay.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stsrelay.spool.Fixtures.await;
import static org.stsrelay.spool.Fixtures.commit;
import static org.stsrelay.spool.Fixtures.content;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.config.SpoolConfig;

class ProgressRecordTest {

    private static final RecipientState DEFERRED = new RecipientState(
            RecipientState.Status.PENDING,
            2,
            Optional.of(Instant.parse("2025-03-01T12:15:00Z")),
            Optional.of("451 4.7.5 MTA-STS enforce: no MX left"));
    private static final RecipientState DELIVERED =
            new RecipientState(RecipientState.Status.DELIVERED, 1, Optional.empty(), Optional.of("250 2.0.0 ok"));

    @TempDir
    Path directory;

    @Test
    void latestProgressIsTheStateAfterARestart() throws Exception {
        QueueId id;
        DeliveryState latest;
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            Envelope envelope = Fixtures.fullEnvelope(spool.nextId());
            id = envelope.id();
            commit(spool, envelope, content(100, 1));
            assertThat(spool.deliveryState(id)).contains(DeliveryState.initial(3));
            await(spool.recordProgress(id, DeliveryState.initial(3).with(0, DEFERRED)));
            latest = DeliveryState.initial(3)
                    .with(0, DEFERRED)
                    .with(1, DELIVERED)
                    .withDelayNoticeSent();
            await(spool.recordProgress(id, latest));
            assertThat(spool.deliveryState(id)).contains(latest);
        }
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            assertThat(spool.deliveryState(id)).contains(latest);
        }
        assertThat(new SpoolInspector(directory).entries())
                .singleElement()
                .satisfies(entry -> assertThat(entry.state()).isEqualTo(latest));
    }

    @Test
    void progressOfAFinishedMessageIsNotWritten() throws Exception {
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            Envelope envelope = Fixtures.plainEnvelope(spool.nextId());
            commit(spool, envelope, content(10, 1));
            await(spool.markDone(envelope.id()));
            await(spool.recordProgress(envelope.id(), DeliveryState.initial(1).with(0, DELIVERED)));
            assertThat(spool.deliveryState(envelope.id())).isEmpty();
        }
    }

    @Test
    void listenerHearsOfCommitsAndOfFinishedMessages() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            spool.listen(new SpoolListener() {
                @Override
                public void committed(List<SpooledMessage> messages) {
                    messages.forEach(message -> heard.add("committed " + message.id()));
                }

                @Override
                public void finished(QueueId id) {
                    heard.add("finished " + id);
                }
            });
            Envelope envelope = Fixtures.plainEnvelope(spool.nextId());
            commit(spool, envelope, content(10, 1));
            assertThat(heard).containsExactly("committed " + envelope.id());
            await(spool.markDone(envelope.id()));
            assertThat(heard).containsExactly("committed " + envelope.id(), "finished " + envelope.id());
        }
    }

    @Test
    void reclaimingASegmentCarriesTheStateOfALiveMessageOfAnOlderSegment() throws Exception {
        SpoolConfig config = new SpoolConfig(directory, 1000, 64 * 1024);
        QueueId a;
        DeliveryState state = DeliveryState.initial(1).with(0, DEFERRED);
        try (FileSpool spool = Fixtures.open(config, new SimpleMeterRegistry())) {
            a = commitOne(spool); // segment 1: A
            commitOne(spool); // segment 1: B
            QueueId c = commitOne(spool); // segment 2: C
            await(spool.recordProgress(a, state)); // segment 2: PROGRESS A (A lives in segment 1)
            await(spool.markDone(c)); // segment 2: DONE C
            QueueId d = commitOne(spool); // segment 2: D, full
            await(spool.markDone(d)); // segment 3: DONE D; segment 2 is finished
            Fixtures.eventually(() -> !segments().contains(SpoolLayout.segmentName(2)));
            assertThat(segments()).contains(SpoolLayout.segmentName(1));
            assertThat(spool.deliveryState(a)).contains(state);
        }
        try (FileSpool spool = Fixtures.open(config, new SimpleMeterRegistry())) {
            assertThat(spool.deliveryState(a)).contains(state);
        }
    }

    private static QueueId commitOne(FileSpool spool) {
        Envelope envelope = Fixtures.plainEnvelope(spool.nextId());
        assertThat(commit(spool, envelope, content(600, 1))).isInstanceOf(CommitResult.Committed.class);
        return envelope.id();
    }

    private List<String> segments() {
        try (Stream<Path> files = Files.list(directory.resolve("log"))) {
            return files.map(file -> file.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
