package org.stsrelay.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueIdGeneratorTest {

    @TempDir
    Path directory;

    @Test
    void hundredThousandIdsFromAFrozenClockAreDistinctAndWellFormed() {
        QueueIdGenerator generator = new QueueIdGenerator(Fixtures.CLOCK);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = generator.next().value();
            assertThat(id).matches("[0-9A-Z]{16}");
            seen.add(id);
        }
        assertThat(seen).hasSize(100_000);
    }

    @Test
    void idsOfARestartedRelayLieAboveItsPredecessorsInTheSameMillisecond() {
        Set<String> seen = new HashSet<>();
        Optional<QueueId> highest = Optional.empty();
        for (int instance = 0; instance < 100; instance++) {
            QueueIdGenerator generator = new QueueIdGenerator(Fixtures.CLOCK, highest);
            for (int i = 0; i < 100; i++) {
                QueueId id = generator.next();
                highest.ifPresent(above -> assertThat(id.value()).isGreaterThan(above.value()));
                seen.add(id.value());
                highest = Optional.of(id);
            }
        }
        assertThat(seen).hasSize(10_000);
    }

    @Test
    void sequenceOfReadsBackTheDigitsAnIdWasMadeFrom() {
        QueueIdGenerator generator = new QueueIdGenerator(Fixtures.CLOCK);
        QueueId first = generator.next();
        QueueId second = generator.next();
        assertThat(QueueIdGenerator.sequenceOf(second)).isEqualTo(QueueIdGenerator.sequenceOf(first) + 1);
        assertThat(QueueIdGenerator.sequenceOf(first)).isEqualTo(Fixtures.CLOCK.millis() * 36 * 36);
    }

    @Test
    void aReopenedSpoolMakesIdsAboveEveryIdItsLogHoldsUnderAFrozenClock() throws Exception {
        List<String> before = new ArrayList<>();
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            for (int i = 0; i < 3; i++) {
                Envelope envelope = Fixtures.plainEnvelope(spool.nextId());
                Fixtures.commit(spool, envelope, Fixtures.content(10, i));
                before.add(envelope.id().value());
            }
            Fixtures.await(spool.markDone(new QueueId(before.get(2))));
        }
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            // The clock has not moved: only the log tells the new instance where its predecessor stopped.
            assertThat(spool.nextId().value()).isGreaterThan(before.get(2));
        }
    }

    @Test
    void laterIdsSortAfterEarlierOnes() {
        Clock later = Clock.fixed(Instant.parse("2025-03-01T12:00:01Z"), ZoneOffset.UTC);
        String first = new QueueIdGenerator(Fixtures.CLOCK).next().value();
        String second = new QueueIdGenerator(later).next().value();
        assertThat(second).isGreaterThan(first);
    }
}
