package org.stsrelay.delivery;

import java.util.Optional;

/**
 * What became of one recipient in one attempt.
 *
 * @param index    the recipient's index in the envelope
 * @param outcome  delivered, deferred (try again) or failed (permanent: bounce now)
 * @param code     SMTP reply code (the remote one, or ours: 4xx/5xx) e.g. 250, 451, 550
 * @param status   RFC 3463 enhanced status code, e.g. "2.0.0", "4.7.5", "5.1.1"
 * @param text     the reason a person can act on, e.g. the remote reply text, or
 *                 "MTA-STS enforce: mx1.example.com certificate expired 2026-10-01"
 * @param mx       the MX host the outcome came from, when one answered
 * @param remote   whether {@code code/text} are the remote server's reply (RFC 3464 Diagnostic-Code smtp;)
 */
public record RecipientResult(
        int index, Outcome outcome, int code, String status, String text, Optional<String> mx, boolean remote) {

    /** The three ways an attempt ends for a recipient. */
    public enum Outcome {
        DELIVERED,
        DEFERRED,
        FAILED
    }
}
