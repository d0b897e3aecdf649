package org.stsrelay.queue;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.stsrelay.spool.QueueId;

/**
 * Which attempt starts next: jobs ordered by due time, and the concurrency caps (attempts in total
 * and per destination domain). A due job that may not start yet (its domain is held or at its cap)
 * is parked per domain and comes back when its domain is released or an attempt there ends, so a
 * busy domain never makes the agenda rescan its backlog. Not thread-safe: the queue's lock guards it.
 */
final class Agenda {

    private final TreeSet<Job> jobs = new TreeSet<>(Job.AGENDA_ORDER);
    private final Map<String, ArrayDeque<Job>> parked = new HashMap<>();
    private final Map<String, Integer> running = new HashMap<>();
    private final int maxTotal;
    private final int maxPerDomain;
    private int total;
    private long sequence;

    Agenda(int maxTotal, int maxPerDomain) {
        if (maxTotal < 1 || maxPerDomain < 1) {
            throw new IllegalArgumentException(
                    "connection limits must be at least 1, not " + maxTotal + " and " + maxPerDomain);
        }
        this.maxTotal = maxTotal;
        this.maxPerDomain = maxPerDomain;
    }

    Job add(Instant due, QueueId id, String domain) {
        Job job = new Job(due, sequence++, id, domain);
        jobs.add(job);
        return job;
    }

    /** Replaces a waiting job with one due now (a flush); a parked job is already due and stays. */
    Job advance(Job job, Instant now) {
        if (job.due().isAfter(now) && jobs.remove(job)) {
            return add(now, job.id(), job.domain());
        }
        return job;
    }

    /**
     * The next job that may start now, or null. Jobs that are no longer {@code live} are dropped; due
     * jobs of held or busy domains are parked on the way.
     */
    Job next(Instant now, Set<String> heldDomains, Predicate<Job> live) {
        while (total < maxTotal && !jobs.isEmpty() && !jobs.first().due().isAfter(now)) {
            Job job = jobs.pollFirst();
            if (!live.test(job)) {
                continue;
            }
            if (heldDomains.contains(job.domain()) || running.getOrDefault(job.domain(), 0) >= maxPerDomain) {
                parked.computeIfAbsent(job.domain(), d -> new ArrayDeque<>()).add(job);
                continue;
            }
            return job;
        }
        return null;
    }

    void started(String domain) {
        total++;
        running.merge(domain, 1, Integer::sum);
    }

    /** An attempt to {@code domain} ended: one parked job of it may take the freed place. */
    void ended(String domain) {
        total--;
        running.computeIfPresent(domain, (d, n) -> n > 1 ? n - 1 : null);
        ArrayDeque<Job> waiting = parked.get(domain);
        if (waiting != null) {
            jobs.add(waiting.poll());
            if (waiting.isEmpty()) {
                parked.remove(domain);
            }
        }
    }

    /** The domain was released: its parked jobs are due again. */
    void unpark(String domain) {
        ArrayDeque<Job> waiting = parked.remove(domain);
        if (waiting != null) {
            jobs.addAll(waiting);
        }
    }

    int running() {
        return total;
    }
}
