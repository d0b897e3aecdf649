package org.stsrelay.spool;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What the log holds: the live messages (readable from any thread) and, per segment, how many live
 * messages it has and which of its DONE records still matter. The segment bookkeeping is touched only
 * by the thread that owns the log (the recovery scan, then the writer).
 */
final class LogIndex {

    private final ConcurrentMap<QueueId, SpooledMessage> live = new ConcurrentHashMap<>();
    private final TreeMap<Long, SegmentState> segments = new TreeMap<>();

    /** Per segment: live message count, and the DONE records it holds for messages in older segments. */
    private static final class SegmentState {
        int liveMessages;
        final Map<QueueId, Long> foreignDones = new HashMap<>();
    }

    void addSegment(long segment) {
        segments.putIfAbsent(segment, new SegmentState());
    }

    void removeSegment(long segment) {
        segments.remove(segment);
    }

    void message(long segment, SpooledMessage message) {
        if (live.putIfAbsent(message.id(), message) == null) {
            state(segment).liveMessages++;
        }
    }

    /** Records a DONE read or written in {@code segment}. */
    void done(long segment, QueueId id) {
        SpooledMessage message = live.remove(id);
        if (message == null) {
            return;
        }
        long home = SpoolLayout.segmentNumber(message.segment().getFileName().toString());
        SegmentState homeState = segments.get(home);
        if (homeState != null) {
            homeState.liveMessages--;
        }
        if (home != segment) {
            state(segment).foreignDones.put(id, home);
        }
    }

    /** Records a DONE re-appended to {@code segment} for a message of the older segment {@code home}. */
    void carried(long segment, QueueId id, long home) {
        state(segment).foreignDones.put(id, home);
    }

    /** Segments other than {@code active} without live messages, oldest first. */
    List<Long> reclaimable(long active) {
        List<Long> result = new ArrayList<>();
        segments.forEach((segment, state) -> {
            if (segment != active && state.liveMessages <= 0) {
                result.add(segment);
            }
        });
        return result;
    }

    /** The DONE records of {@code segment} that must outlive it: their message's segment still exists. */
    Map<QueueId, Long> donesToCarry(long segment) {
        Map<QueueId, Long> carry = new HashMap<>();
        SegmentState state = segments.get(segment);
        if (state != null) {
            state.foreignDones.forEach((id, home) -> {
                if (home != segment && segments.containsKey(home)) {
                    carry.put(id, home);
                }
            });
        }
        return carry;
    }

    long lastSegment() {
        return segments.isEmpty() ? 0 : segments.lastKey();
    }

    boolean holds(QueueId id) {
        return live.containsKey(id);
    }

    Optional<SpooledMessage> find(QueueId id) {
        return Optional.ofNullable(live.get(id));
    }

    Collection<SpooledMessage> messages() {
        return live.values();
    }

    int size() {
        return live.size();
    }

    private SegmentState state(long segment) {
        return segments.computeIfAbsent(segment, s -> new SegmentState());
    }
}
