package org.stsrelay.policy;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** The answer to "which MTA-STS policy applies to this domain now?". */
public sealed interface PolicyLookup {

    /**
     * A valid, unexpired policy applies; its mode may be {@code none} (RFC 8461 §5).
     *
     * @param policy the policy
     * @param fromCache true if no fetch was needed to answer
     * @param expiresAt when the policy stops being valid unless revalidated
     */
    record Found(Policy policy, boolean fromCache, Instant expiresAt) implements PolicyLookup {
        /** Checks for nulls. */
        public Found {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /**
     * No policy applies: deliver as though the domain had not implemented MTA-STS (RFC 8461 §3.3).
     *
     * @param cause the class of reason
     * @param reason a sentence an operator can act on
     * @param resultType the RFC 8460 result type to report, present when a valid TXT record was found but the
     *     policy could not be retrieved (RFC 8461 §6)
     */
    record NoPolicy(NoPolicyCause cause, String reason, Optional<ResultType> resultType) implements PolicyLookup {
        /** Checks for nulls. */
        public NoPolicy {
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(resultType, "resultType");
        }
    }
}
