package org.stsrelay.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueueIdGeneratorTest {

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
    void idsOfARestartedRelayDifferFromThoseOfItsPredecessorInTheSameMillisecond() {
        Set<String> seen = new HashSet<>();
        for (int instance = 0; instance < 100; instance++) {
            QueueIdGenerator generator = new QueueIdGenerator(Fixtures.CLOCK);
            for (int i = 0; i < 100; i++) {
                seen.add(generator.next().value());
            }
        }
        assertThat(seen).hasSize(10_000);
    }

    @Test
    void laterIdsSortAfterEarlierOnes() {
        Clock later = Clock.fixed(Instant.parse("2025-03-01T12:00:01Z"), ZoneOffset.UTC);
        String first = new QueueIdGenerator(Fixtures.CLOCK).next().value();
        String second = new QueueIdGenerator(later).next().value();
        assertThat(second).isGreaterThan(first);
    }
}
