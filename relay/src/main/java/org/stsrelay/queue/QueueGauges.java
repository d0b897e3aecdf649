package org.stsrelay.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.stsrelay.spool.QueueId;
import org.stsrelay.spool.RecipientState;

/** The gauges' view of the queue, read without the queue's lock from its concurrent map and volatile states. */
final class QueueGauges implements QueueMetrics.View {

    private final Map<QueueId, TrackedMessage> messages;
    private final Supplier<QueueControl.Holds> holds;
    private final boolean paused;
    private final Clock clock;

    QueueGauges(
            Map<QueueId, TrackedMessage> messages, Supplier<QueueControl.Holds> holds, boolean paused, Clock clock) {
        this.messages = messages;
        this.holds = holds;
        this.paused = paused;
        this.clock = clock;
    }

    @Override
    public long queued() {
        return count(false, false);
    }

    @Override
    public long deferred() {
        return count(false, true);
    }

    @Override
    public long held() {
        return count(true, false);
    }

    private long count(boolean heldOnes, boolean tried) {
        QueueControl.Holds current = holds.get();
        boolean all = current.holdsAll(paused);
        long count = 0;
        for (TrackedMessage tracked : messages.values()) {
            List<RecipientState> states = tracked.state.recipients();
            for (int i = 0; i < states.size(); i++) {
                if (states.get(i).isFinal()) {
                    continue;
                }
                boolean held = all || current.domains().contains(tracked.domains.get(i));
                if (heldOnes ? held : !held && (states.get(i).attempts() > 0) == tried) {
                    count++;
                }
            }
        }
        return count;
    }

    @Override
    public double oldestAgeSeconds() {
        Instant now = clock.instant();
        return messages.values().stream()
                .map(t -> t.message.envelope().arrival())
                .min(Instant::compareTo)
                .map(oldest -> Math.max(0, Duration.between(oldest, now).toMillis() / 1000.0))
                .orElse(0.0);
    }
}
