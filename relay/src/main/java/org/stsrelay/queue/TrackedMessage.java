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
import org.stsrelay.support.Interner;

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
     * The job waiting (in the agenda or parked) per domain; a domain under way has none. A deep queue holds one
     * message per entry and most go to one domain, so the first job is a field and only further ones take a map.
     */
    private Job firstJob;

    private Map<String, Job> moreJobs;
    /** The tail of this message's writes (DSNs, then its state), each waiting for the one before; null when none. */
    CompletableFuture<Void> persisted;

    /** {@code domainNames} shares each domain's name between the messages to it. */
    TrackedMessage(SpooledMessage message, DeliveryState state, Interner<String> domainNames) {
        this.message = message;
        this.state = state;
        List<Envelope.Recipient> recipients = message.envelope().recipients();
        String[] keys = new String[recipients.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = domainNames.intern(QueueControl.domainOf(recipients.get(i).address()));
        }
        // List.of keeps one or two elements without an array.
        this.domains = List.of(keys);
    }

    /** The job waiting for {@code domain}, or null. */
    Job job(String domain) {
        if (firstJob != null && firstJob.domain().equals(domain)) {
            return firstJob;
        }
        return moreJobs == null ? null : moreJobs.get(domain);
    }

    /** Makes {@code job} the one waiting for its domain, in place of any other. */
    void putJob(Job job) {
        String domain = job.domain();
        if (firstJob != null && firstJob.domain().equals(domain)) {
            firstJob = job;
        } else if (moreJobs != null && moreJobs.containsKey(domain)) {
            moreJobs.put(domain, job);
        } else if (firstJob == null) {
            firstJob = job;
        } else {
            if (moreJobs == null) {
                moreJobs = new HashMap<>(4);
            }
            moreJobs.put(domain, job);
        }
    }

    /** No job waits for {@code domain} any more. */
    void removeJob(String domain) {
        if (firstJob != null && firstJob.domain().equals(domain)) {
            firstJob = null;
        } else if (moreJobs != null) {
            moreJobs.remove(domain);
        }
    }

    /** No job waits for this message any more. */
    void clearJobs() {
        firstJob = null;
        moreJobs = null;
    }

    /** The jobs waiting, one per domain. */
    List<Job> jobs() {
        List<Job> all = new ArrayList<>(moreJobs == null ? 1 : 1 + moreJobs.size());
        if (firstJob != null) {
            all.add(firstJob);
        }
        if (moreJobs != null) {
            all.addAll(moreJobs.values());
        }
        return all;
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
