package org.stsrelay.policy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stsrelay.policy.NoPolicyCause;
import org.stsrelay.policy.PolicyLookup;
import org.stsrelay.policy.testing.FakeTime;

class EntryExpiryTest {

    private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
    private static final Duration IDLE = Duration.ofDays(3);
    private static final String D = "example.com";

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("valid for an hour", Duration.ofHours(1), Duration.ofHours(1)),
                Arguments.of("valid for a year, unused for 3 days", Duration.ofDays(365), IDLE),
                Arguments.of("valid until exactly now", Duration.ZERO, Duration.ZERO),
                Arguments.of("expired an hour ago", Duration.ofHours(-1), Duration.ZERO));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("RFC 8461 §3.2: memory keeps an entry until it expires, and no longer than the idle time")
    void keepsUntilExpiryOrIdle(String name, Duration validFor, Duration kept) {
        EntryExpiry expiry = new EntryExpiry(new FakeTime(NOW), IDLE);
        Entry entry = Entry.none(
                new PolicyLookup.NoPolicy(NoPolicyCause.NO_RECORD, "none", Optional.empty()),
                NOW.plus(validFor).toEpochMilli());
        assertThat(expiry.expireAfterCreate(D, entry, 0)).isEqualTo(kept.toNanos());
        assertThat(expiry.expireAfterUpdate(D, entry, 0, 1)).isEqualTo(kept.toNanos());
        assertThat(expiry.expireAfterRead(D, entry, 0, 1)).isEqualTo(kept.toNanos());
    }
}
