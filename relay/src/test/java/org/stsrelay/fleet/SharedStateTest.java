package org.stsrelay.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.stsrelay.policy.ParseResult;
import org.stsrelay.policy.Policy;
import org.stsrelay.policy.PolicyParser;
import org.stsrelay.policy.cache.StoredPolicy;

class SharedStateTest {

    private static final Instant T = Instant.parse("2026-03-01T00:00:00.123456789Z");

    private static StoredPolicy validatedAt(Instant at) {
        ParseResult.Valid valid = (ParseResult.Valid)
                PolicyParser.parse("version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n");
        return new StoredPolicy(new Policy("example.com", "one", valid.document(), at), at);
    }

    @Test
    @DisplayName("RFC 8461 §10.2: only a row validated later wins; the database's microseconds make no difference")
    void laterValidationWins() {
        StoredPolicy local = validatedAt(T);
        StoredPolicy sameAsWritten = validatedAt(PolicyRows.micros(T));
        assertThat(new SharedState(Optional.of(sameAsWritten), Optional.empty()).isNewerThan(local))
                .isFalse();
        assertThat(new SharedState(Optional.of(validatedAt(T.plusSeconds(1))), Optional.empty()).isNewerThan(local))
                .isTrue();
        assertThat(new SharedState(Optional.empty(), Optional.empty()).isNewerThan(local))
                .isFalse();
    }

    @Test
    @DisplayName("RFC 8461 §10.3: a purge at or after a validation removes it; one before it does not")
    void purgeAtOrAfterValidation() {
        StoredPolicy local = validatedAt(T);
        assertThat(new SharedState(Optional.empty(), Optional.of(PolicyRows.micros(T))).purgedSince(local))
                .isTrue();
        assertThat(new SharedState(Optional.empty(), Optional.of(T.plus(Duration.ofMinutes(1)))).purgedSince(local))
                .isTrue();
        assertThat(new SharedState(Optional.empty(), Optional.of(T.minus(Duration.ofMinutes(1)))).purgedSince(local))
                .isFalse();
        assertThat(new SharedState(Optional.empty(), Optional.empty()).purgedSince(local))
                .isFalse();
    }
}
