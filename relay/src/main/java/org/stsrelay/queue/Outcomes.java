package org.stsrelay.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stsrelay.config.DeliveryConfig;
import org.stsrelay.delivery.DeliveryReport;
import org.stsrelay.delivery.DeliveryRequest;
import org.stsrelay.delivery.RecipientResult;
import org.stsrelay.spool.DeliveryState;
import org.stsrelay.spool.Envelope;
import org.stsrelay.spool.RecipientState;

/** Turns the report of one attempt into the message's next state and the DSNs it calls for. */
final class Outcomes {

    /** A recorded last result is cut here: it is for people, and it is rewritten on every attempt. */
    private static final int MAX_LAST_RESULT = 1000;

    /**
     * The result of applying one report.
     *
     * @param state     the message's new state
     * @param bounced   recipients that bounced now (for the bounce log line and metric), with why
     * @param failed    recipients to report in a failure DSN (bounced and asking for it)
     * @param delivered recipients to report in a success DSN (delivered and asking for it)
     */
    record Applied(
            DeliveryState state, List<DsnRecipient> bounced, List<DsnRecipient> failed, List<DsnRecipient> delivered) {}

    private final DeliveryConfig config;
    private final RetryJitter jitter;

    Outcomes(DeliveryConfig config, RetryJitter jitter) {
        this.config = config;
        this.jitter = jitter;
    }

    /** When the queue lifetime of a message ends. */
    Instant expiry(Envelope envelope) {
        return envelope.arrival().plus(config.queueLifetime());
    }

    Applied apply(DeliveryState before, DeliveryRequest request, DeliveryReport report, Instant now) {
        Envelope envelope = request.envelope();
        Map<Integer, RecipientResult> results = new HashMap<>();
        report.recipients().forEach(result -> results.put(result.index(), result));
        DeliveryState state = before;
        List<DsnRecipient> bounced = new ArrayList<>();
        List<DsnRecipient> failed = new ArrayList<>();
        List<DsnRecipient> delivered = new ArrayList<>();
        for (int index : request.recipients()) {
            RecipientResult result = results.getOrDefault(index, missing(index));
            RecipientState previous = before.recipients().get(index);
            Envelope.Recipient recipient = envelope.recipients().get(index);
            int attempts = previous.attempts() + 1;
            switch (result.outcome()) {
                case DELIVERED -> {
                    state = state.with(
                            index,
                            new RecipientState(
                                    RecipientState.Status.DELIVERED,
                                    attempts,
                                    Optional.empty(),
                                    Optional.of(lastResult(result))));
                    if (DsnAction.DELIVERED.wanted(envelope, recipient)) {
                        delivered.add(dsn(recipient, result, result.status(), now));
                    }
                }
                case FAILED ->
                    state = bounce(
                            state,
                            index,
                            attempts,
                            lastResult(result),
                            dsn(recipient, result, result.status(), now),
                            envelope,
                            bounced,
                            failed);
                case DEFERRED -> {
                    // Only an attempt flagged as the last one bounces: it re-checked the policy (RFC 8461 §5.1).
                    // One that started before the lifetime ended is followed by that last attempt at once.
                    if (request.lastAttempt()) {
                        // The lifetime is over: the temporary reason becomes the permanent one (4.7.5 → 5.7.5).
                        String status = permanent(result.status());
                        state = bounce(
                                state,
                                index,
                                attempts,
                                status + " queue lifetime ended; last result: " + lastResult(result),
                                dsn(recipient, result, status, now),
                                envelope,
                                bounced,
                                failed);
                    } else {
                        Instant next = min(now.plus(jitter.spread(retryDelay(attempts))), expiry(envelope));
                        state = state.with(
                                index,
                                new RecipientState(
                                        RecipientState.Status.PENDING,
                                        attempts,
                                        Optional.of(next),
                                        Optional.of(lastResult(result))));
                    }
                }
            }
        }
        return new Applied(state, bounced, failed, delivered);
    }

    /** The deferred recipients a DELAY DSN reports now, or none when it is not (or no longer) due. */
    List<DsnRecipient> delayNotice(Envelope envelope, DeliveryState state, Instant now) {
        Duration after = config.delayNotice();
        if (state.delayNoticeSent()
                || after.isZero()
                || after.isNegative()
                || now.isBefore(envelope.arrival().plus(after))) {
            return List.of();
        }
        List<DsnRecipient> delayed = new ArrayList<>();
        for (int i = 0; i < state.recipients().size(); i++) {
            RecipientState recipientState = state.recipients().get(i);
            Envelope.Recipient recipient = envelope.recipients().get(i);
            if (recipientState.status() == RecipientState.Status.PENDING
                    && recipientState.attempts() > 0
                    && DsnAction.DELAYED.wanted(envelope, recipient)) {
                String reason = recipientState.lastResult().orElse("not yet delivered");
                delayed.add(new DsnRecipient(
                        recipient,
                        delayStatus(reason),
                        reason,
                        Optional.empty(),
                        Optional.empty(),
                        now,
                        Optional.of(expiry(envelope))));
            }
        }
        return delayed;
    }

    private static DeliveryState bounce(
            DeliveryState state,
            int index,
            int attempts,
            String last,
            DsnRecipient report,
            Envelope envelope,
            List<DsnRecipient> bounced,
            List<DsnRecipient> failed) {
        bounced.add(report);
        if (DsnAction.FAILED.wanted(envelope, report.recipient())) {
            failed.add(report);
        }
        return state.with(
                index,
                new RecipientState(RecipientState.Status.BOUNCED, attempts, Optional.empty(), Optional.of(last)));
    }

    private static DsnRecipient dsn(Envelope.Recipient recipient, RecipientResult result, String status, Instant now) {
        // RFC 3464 §2.3.6: the remote server's reply is an "smtp" diagnostic; our own decision (e.g. an
        // MTA-STS refusal) is reported under our own X- type, so the sender still learns why.
        Optional<String> diagnostic = Optional.of(
                result.remote()
                        ? "smtp; " + result.code() + " " + result.status() + " " + result.text()
                        : "X-STS-Relay; " + result.text());
        return new DsnRecipient(recipient, status, result.text(), result.mx(), diagnostic, now, Optional.empty());
    }

    /** RFC 3463 §3.1: the class digit is 4 for a transient, 5 for a permanent failure; the rest is kept. */
    static String permanent(String status) {
        if (status != null && status.startsWith("4.")) {
            return "5" + status.substring(1);
        }
        return status != null && status.startsWith("5.") ? status : "5.0.0";
    }

    private Duration retryDelay(int attempts) {
        return config.retryDelay(attempts);
    }

    /** The status of a delayed recipient: the enhanced code at the start of its last result, if any. */
    private static String delayStatus(String lastResult) {
        String[] words = lastResult.split(" ");
        for (String word : words) {
            if (word.matches("4\\.\\d{1,3}\\.\\d{1,3}")) {
                return word;
            }
        }
        return "4.0.0";
    }

    private static String lastResult(RecipientResult result) {
        String text = result.code() + " " + result.status() + " " + result.text();
        return text.length() <= MAX_LAST_RESULT ? text : text.substring(0, MAX_LAST_RESULT) + "...";
    }

    /** Delivery promised a result for every recipient; a missing one is retried rather than lost. */
    private static RecipientResult missing(int index) {
        return new RecipientResult(
                index,
                RecipientResult.Outcome.DEFERRED,
                451,
                "4.3.0",
                "delivery gave no result for this recipient",
                Optional.empty(),
                false);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
