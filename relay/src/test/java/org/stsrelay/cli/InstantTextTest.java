package org.stsrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InstantTextTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-03-02T10:00:00Z",
                "2026-03-02T10:00:00.100Z",
                "2026-03-02T10:00:00.001Z",
                "2026-03-02T10:00:00.000100Z",
                "2026-03-02T10:00:00.123456Z",
                "2026-03-02T10:00:00.000000001Z",
                "2026-03-02T10:00:00.987654321Z",
                "2026-03-02T10:00:01.5Z",
                "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999999999Z",
                "+10000-01-01T00:00:00.25Z"
            })
    void writesWhatInstantToStringWrites(String text) {
        Instant instant = Instant.parse(text);
        InstantText writer = new InstantText();
        // Twice: the second time comes from the remembered second.
        assertThat(writer.append(new StringBuilder(), instant).toString()).isEqualTo(instant.toString());
        assertThat(writer.append(new StringBuilder(), instant).toString()).isEqualTo(instant.toString());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 999_999_999, 1_000_000_000, 86_399_000_000_000L})
    void followsTheSecondAsItChanges(long nanosAfter) {
        Instant start = Instant.parse("2026-12-04T10:41:17.988229619Z");
        InstantText writer = new InstantText();
        writer.append(new StringBuilder(), start);
        Instant later = start.plusNanos(nanosAfter);
        assertThat(writer.append(new StringBuilder(), later).toString()).isEqualTo(later.toString());
    }
}
