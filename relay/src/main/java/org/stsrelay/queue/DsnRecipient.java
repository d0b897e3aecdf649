package org.stsrelay.queue;

import java.time.Instant;
import java.util.Optional;
import org.stsrelay.spool.Envelope;

/**
 * The per-recipient part of a DSN (RFC 3464 §2.3).
 *
 * @param recipient      the envelope recipient (address and ORCPT)
 * @param status         the RFC 3463 status code, e.g. "5.7.5"
 * @param reason         the reason in plain words, for the human-readable part
 * @param remoteMta      the MX that answered, when one did
 * @param diagnostic     the remote server's reply ("550 5.1.1 no such user"), when the outcome came from it
 * @param lastAttempt    when the last attempt ended
 * @param willRetryUntil for a delay: when the queue gives up
 */
record DsnRecipient(
        Envelope.Recipient recipient,
        String status,
        String reason,
        Optional<String> remoteMta,
        Optional<String> diagnostic,
        Instant lastAttempt,
        Optional<Instant> willRetryUntil) {}
