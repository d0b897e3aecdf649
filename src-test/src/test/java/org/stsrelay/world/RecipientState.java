package org.stsrelay.world;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The delivery state of one recipient of a spooled message, as {@code queue list --json} reports it.
 *
 * @param recipient the envelope recipient
 * @param state queued, deferred, delivered or bounced
 * @param attempts delivery attempts made so far
 * @param nextAttempt when the next attempt is due (ISO-8601), null when none is planned
 * @param lastError the last failure, SMTP code, enhanced status and text; null before any failure
 */
public record RecipientState(
        String recipient,
        String state,
        int attempts,
        @JsonProperty("next-attempt") String nextAttempt,
        @JsonProperty("last-error") String lastError) {}
