package org.stsrelay.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.stsrelay.spool.DeliveryState;
import org.stsrelay.spool.Envelope;
import org.stsrelay.spool.RecipientState;
import org.stsrelay.spool.SpooledMessage;

/**
 * A message the queue is delivering: its latest state and what is scheduled or under way per
 * destination domain. Mutable; guarded by the queue's lock, except the fields the gauges read.
 */
final class TrackedMessage {

    final SpooledMessage message;
    /** The destination domain of each recipient, indexed like the envelope. */
    final List<String> domains;
    /** Read by the gauges without the lock. */
    volatile DeliveryState state;
    /** Decided at the first attempt, from the envelope and, when it must be, the header section. */
    volatile MessageTraits traits;
    /**
     * The job waiting (in the agenda or parked) per domain; a domain under way has none. Sized for the
     * usual one or two domains: a deep queue holds one of these per message.
     */
    final Map<String, Job> jobs = new HashMap<>(2);
    /** The tail of this message's writes (DSNs, then its state): each write waits for the one before. */
    CompletableFuture<Void> persisted = CompletableFuture.completedFuture(null);

    TrackedMessage(SpooledMessage message, DeliveryState state) {
        this.message = message;
        this.state = state;
        List<Envelope.Recipient> recipients = message.envelope().recipients();
        String[] keys = new String[recipients.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = QueueControl.domainOf(recipients.get(i).address());
        }
        // List.of keeps one or two elements without an array.
        this.domains = List.of(keys);
    }

    /** The pending recipients' indexes grouped by destination domain, domains in envelope order. */
    Map<String, List<Integer>> pendingByDomain() {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        List<RecipientState> recipients = state.recipients();
        for (int i = 0; i < recipients.size(); i++) {
            if (!recipients.get(i).isFinal()) {
                groups.computeIfAbsent(domains.get(i), d -> new ArrayList<>()).add(i);
            }
        }
        return groups;
    }

    /** When the recipients {@code indexes} are due: the earliest next attempt among them (now when never tried). */
    Instant due(List<Integer> indexes, Instant now) {
        Instant due = null;
        for (int index : indexes) {
            Instant next = state.recipients().get(index).nextAttempt().orElse(now);
            due = due == null || next.isBefore(due) ? next : due;
        }
        return due == null ? now : due;
    }
}
