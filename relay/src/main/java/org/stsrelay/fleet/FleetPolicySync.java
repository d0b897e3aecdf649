package org.stsrelay.fleet;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.policy.cache.PolicyStore;
import org.stsrelay.policy.cache.StoredPolicy;

/**
 * Keeps this node in step with the fleet's policy store: applies the purges and forced refreshes other nodes
 * recorded in {@code policy_events} to memory and local files, and after an outage (and at start) pushes what was
 * stored only here. Run {@link #run} every few seconds on one thread.
 */
public final class FleetPolicySync {

    private static final Logger LOG = LoggerFactory.getLogger(FleetPolicySync.class);

    private final FleetDatabase database;
    private final PolicyStore local;
    private final FleetCatchUp catchUp;
    private final Consumer<String> forget;
    // Only the sync thread touches these.
    private long lastSeq = -1;
    private boolean caughtUp;

    /**
     * Follows the fleet for the node whose local files are {@code local}; {@code forget} drops one domain's policy
     * from memory, so that its next lookup reads the store.
     */
    public FleetPolicySync(FleetDatabase database, PolicyStore local, Clock clock, Consumer<String> forget) {
        this.database = database;
        this.local = local;
        this.catchUp = new FleetCatchUp(database, local, clock);
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
            case PURGE -> purgedElsewhere(event);
            case REFRESH -> refreshedElsewhere(event);
        }
        forget.accept(event.domain());
        LOG.info("policy {} of {} by node {} applied here", event.kind().column(), event.domain(), event.node());
    }

    // RFC 8461 §10.3: another node's purge; the local file goes, unless validated after the purge.
    private void purgedElsewhere(PolicyEvent purge) throws IOException {
        Optional<StoredPolicy> mine = local.load(purge.domain());
        if (mine.isPresent() && new SharedState(Optional.empty(), Optional.of(purge.at())).purgedSince(mine.get())) {
            local.delete(purge.domain());
        }
    }

    // Another node's forced refresh: the local file takes the row, if this node has the domain.
    private void refreshedElsewhere(PolicyEvent refresh) throws IOException {
        if (local.load(refresh.domain()).isEmpty()) {
            return;
        }
        Optional<StoredPolicy> row = database.call("policy_event_row", c -> PolicyRows.find(c, refresh.domain()))
                .flatMap(found -> found);
        if (row.isPresent()) {
            local.save(row.get());
        }
    }

    private boolean catchUp() throws IOException {
        Optional<List<String>> changed = catchUp.run();
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
