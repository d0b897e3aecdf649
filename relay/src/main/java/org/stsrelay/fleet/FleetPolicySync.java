package org.stsrelay.fleet;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node in step with the fleet's policy store: applies the purges and forced refreshes other nodes
 * recorded in {@code policy_events} to memory and local files, and after an outage (and at start) pushes what was
 * stored only here. Run {@link #run} every few seconds on one thread.
 */
public final class FleetPolicySync {

    private static final Logger LOG = LoggerFactory.getLogger(FleetPolicySync.class);

    private final FleetDatabase database;
    private final FleetPolicyStore store;
    private final Consumer<String> forget;
    // Only the sync thread touches these.
    private long lastSeq = -1;
    private boolean caughtUp;

    /** {@code forget} drops one domain's policy from memory, so its next lookup reads the store. */
    public FleetPolicySync(FleetDatabase database, FleetPolicyStore store, Consumer<String> forget) {
        this.database = database;
        this.store = store;
        this.forget = forget;
    }

    /**
     * Takes the current end of the event log as the starting point; call before memory is warmed from the store, so
     * that no event after the warm-up is missed. Tells whether the database answered.
     */
    public boolean start() {
        Optional<Long> last = database.call("policy_events", PolicyEventLog::last);
        last.ifPresent(seq -> lastSeq = seq);
        return last.isPresent();
    }

    /** One round: the new events, then a catch-up if the last round could not reach the database. */
    public void run() {
        try {
            if (lastSeq < 0 && !start()) {
                caughtUp = false;
                return;
            }
            Optional<List<PolicyEvent>> events = database.call("policy_events", c -> PolicyEventLog.after(c, lastSeq));
            if (events.isEmpty()) {
                caughtUp = false;
                return;
            }
            for (PolicyEvent event : events.get()) {
                apply(event);
                lastSeq = event.seq();
            }
            if (!caughtUp) {
                caughtUp = catchUp();
            }
        } catch (IOException | RuntimeException failed) {
            // The next round tries again; a scheduled task that throws would never run again.
            LOG.error("fleet policy sync failed", failed);
        }
    }

    private void apply(PolicyEvent event) throws IOException {
        if (event.node().equals(database.node())) {
            return;
        }
        switch (event.kind()) {
            case PURGE -> store.purgedElsewhere(event);
            case REFRESH -> store.refreshedElsewhere(event);
        }
        forget.accept(event.domain());
        LOG.info("policy {} of {} by node {} applied here", event.kind().column(), event.domain(), event.node());
    }

    private boolean catchUp() throws IOException {
        Optional<List<String>> changed = store.catchUp();
        changed.ifPresent(domains -> {
            domains.forEach(forget);
            LOG.info(
                    "fleet policy store caught up; {} local polic{} replaced or dropped",
                    domains.size(),
                    domains.size() == 1 ? "y" : "ies");
        });
        return changed.isPresent();
    }
}
