package org.stsrelay.queue;

import java.time.Instant;
import java.util.Comparator;
import org.stsrelay.spool.QueueId;

/**
 * The next attempt of one message to one destination domain: due at {@code due}; {@code sequence}
 * breaks ties in the order jobs were made, so the agenda is first come, first served.
 */
record Job(Instant due, long sequence, QueueId id, String domain) {

    static final Comparator<Job> AGENDA_ORDER = Comparator.comparing(Job::due).thenComparingLong(Job::sequence);
}
