package org.stsrelay.policy.cache;

import java.time.Instant;
import java.util.Objects;
import org.stsrelay.policy.Policy;

/**
 * A cached policy and when its {@code id} was last confirmed; it is valid until {@code validatedAt + max_age}.
 *
 * @param policy the policy
 * @param validatedAt when the policy was fetched or its TXT {@code id} last found unchanged
 */
public record StoredPolicy(Policy policy, Instant validatedAt) {

    /** Checks for nulls. */
    public StoredPolicy {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(validatedAt, "validatedAt");
    }

    /** Returns when the policy stops being valid (RFC 8461 §3.2: max_age from the last fetch or confirmation). */
    public Instant expiresAt() {
        return validatedAt.plusSeconds(policy.document().maxAgeSeconds());
    }

    /** Tells whether the policy is still valid at {@code now}. */
    public boolean isValidAt(Instant now) {
        return now.isBefore(expiresAt());
    }
}
