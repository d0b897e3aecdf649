package org.stsrelay.spool;

import java.time.Instant;
import java.util.Optional;

/**
 * Where one recipient of a spooled message stands: still to be delivered, or final.
 *
 * @param status      pending (never tried or deferred), delivered, or bounced
 * @param attempts    attempts made so far
 * @param nextAttempt when the next attempt is due; empty for "as soon as possible" and for final states
 * @param lastResult  the last attempt's result as a person reads it (e.g. "451 4.7.5 MTA-STS enforce: ..."), if any
 */
public record RecipientState(Status status, int attempts, Optional<Instant> nextAttempt, Optional<String> lastResult) {

    /** A recipient that has not been tried yet. */
    public static final RecipientState NEW = new RecipientState(Status.PENDING, 0, Optional.empty(), Optional.empty());

    public RecipientState {
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative, not " + attempts);
        }
    }

    /** The states of a recipient; codes of the log format are the names. */
    public enum Status {
        PENDING,
        DELIVERED,
        BOUNCED
    }

    /** Whether nothing more will be attempted for this recipient. */
    public boolean isFinal() {
        return status != Status.PENDING;
    }
}
