package org.stsrelay.spool;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What the log holds: the live messages (readable from any thread) and, per segment, how many live
 * messages it has and which of its DONE and PROGRESS records still matter. The segment bookkeeping is touched only
 * by the thread that owns the log (the recovery scan, then the writer).
 */
final class LogIndex {

    private final ConcurrentMap<QueueId, SpooledMessage> live = new ConcurrentHashMap<>();
    /** The latest PROGRESS of each live message that has one; a live message without one is untried. */
    private final ConcurrentMap<QueueId, DeliveryState> states = new ConcurrentHashMap<>();

    private final TreeMap<Long, SegmentState> segments = new TreeMap<>();
    /** The greatest queue id of any MESSAGE or DONE read or written; one thread writes it at a time. */
    private volatile String highestId = "";

    /** Per segment: live message count, and the DONE and PROGRESS records it holds for messages in older segments. */
    private static final class SegmentState {
        int liveMessages;
        final Map<QueueId, Long> foreignDones = new HashMap<>();
        final Set<QueueId> foreignProgress = new HashSet<>();
        /** The segment's file, one instance for all its messages (a deep queue holds 100,000 of them). */
        Path file;

        SpooledMessage sharingFile(SpooledMessage message) {
            if (file == null) {
                file = message.segment();
            }
            return message.segment() == file || !message.segment().equals(file)
                    ? message
                    : new SpooledMessage(message.envelope(), message.size(), file, message.contentOffset());
        }
    }

    // Ids are fixed-width base-36 digits in ASCII order, so comparing the text compares the values.
    private void saw(QueueId id) {
        if (id.value().compareTo(highestId) > 0) {
            highestId = id.value();
        }
    }

    /** The greatest queue id the log holds or held since it was read: new ids are made above it. */
    Optional<QueueId> highestId() {
        String highest = highestId;
        return highest.isEmpty() ? Optional.empty() : Optional.of(new QueueId(highest));
    }

    void addSegment(long segment) {
        segments.putIfAbsent(segment, new SegmentState());
    }

    void removeSegment(long segment) {
        segments.remove(segment);
    }

    void message(long segment, SpooledMessage message) {
        saw(message.id());
        SegmentState state = state(segment);
        if (live.putIfAbsent(message.id(), state.sharingFile(message)) == null) {
            state.liveMessages++;
        }
    }

    /** Records a DONE read or written in {@code segment}; false when the message was already finished. */
    boolean done(long segment, QueueId id) {
        saw(id);
        SpooledMessage message = live.remove(id);
        if (message == null) {
            return false;
        }
        states.remove(id);
        long home = home(message);
        SegmentState homeState = segments.get(home);
        if (homeState != null) {
            homeState.liveMessages--;
        }
        if (home != segment) {
            state(segment).foreignDones.put(id, home);
        }
        return true;
    }

    /**
     * Records a PROGRESS read or written in {@code segment}: it replaces the message's state. Returns
     * false when it is ignored: its message is finished, or the state does not fit its envelope.
     */
    boolean progress(long segment, QueueId id, DeliveryState state) {
        SpooledMessage message = live.get(id);
        if (message == null
                || state.recipients().size() != message.envelope().recipients().size()) {
            return false;
        }
        states.put(id, state);
        if (home(message) != segment) {
            state(segment).foreignProgress.add(id);
        }
        return true;
    }

    /**
     * The states of live messages in older segments whose PROGRESS lies in {@code segment}: deleting it
     * would roll them back to an older state (or to untried), so they are appended again first.
     */
    Map<QueueId, DeliveryState> progressToCarry(long segment) {
        Map<QueueId, DeliveryState> carry = new HashMap<>();
        SegmentState state = segments.get(segment);
        if (state != null) {
            state.foreignProgress.forEach(id -> {
                SpooledMessage message = live.get(id);
                DeliveryState current = states.get(id);
                if (message != null && current != null && home(message) != segment) {
                    carry.put(id, current);
                }
            });
        }
        return carry;
    }

    /** The delivery state of a live message: its latest PROGRESS, else untried. */
    Optional<DeliveryState> deliveryState(QueueId id) {
        SpooledMessage message = live.get(id);
        if (message == null) {
            return Optional.empty();
        }
        DeliveryState state = states.get(id);
        return Optional.of(
                state != null
                        ? state
                        : DeliveryState.initial(message.envelope().recipients().size()));
    }

    private static long home(SpooledMessage message) {
        return SpoolLayout.segmentNumber(message.segment().getFileName().toString());
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
