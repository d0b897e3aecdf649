package org.stsrelay.fleet;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.policy.cache.PolicyStore;
import org.stsrelay.policy.cache.StoredPolicy;

/**
 * After an outage (and at start), brings this node's local policies and the fleet's rows together: a local policy
 * the fleet has no newer row of is pushed (never downgrading, RFC 8461 §10.2), one purged in the fleet since its
 * validation is dropped (RFC 8461 §10.3), and a newer row replaces the local copy.
 */
final class FleetCatchUp {

    private static final Logger LOG = LoggerFactory.getLogger(FleetCatchUp.class);

    private final FleetDatabase database;
    private final PolicyStore local;
    private final Clock clock;

    FleetCatchUp(FleetDatabase database, PolicyStore local, Clock clock) {
        this.database = database;
        this.local = local;
        this.clock = clock;
    }

    /** Runs the catch-up; returns the domains whose local policy changed, empty when the database is unreachable. */
    Optional<List<String>> run() throws IOException {
        List<StoredPolicy> mine = local.loadAll();
        Instant now = clock.instant();
        Optional<List<Change>> changes = database.call("policy_catch_up", c -> {
            List<Change> found = new ArrayList<>();
            for (StoredPolicy own : mine) {
                if (own.isValidAt(now)) {
                    compare(c, own).ifPresent(found::add);
                }
            }
            return found;
        });
        if (changes.isEmpty()) {
            return Optional.empty();
        }
        List<String> changed = new ArrayList<>();
        for (Change change : changes.get()) {
            if (change.newer().isPresent()) {
                local.save(change.newer().get());
            } else {
                LOG.info(
                        "dropping the local policy of {}: purged in the fleet since it was validated", change.domain());
                local.delete(change.domain());
            }
            changed.add(change.domain());
        }
        return Optional.of(changed);
    }

    private Optional<Change> compare(Connection c, StoredPolicy own) throws SQLException {
        String domain = own.policy().domain();
        SharedState shared = SharedState.read(c, domain);
        if (shared.purgedSince(own)) {
            return Optional.of(new Change(domain, Optional.empty()));
        }
        if (shared.isNewerThan(own)) {
            return Optional.of(new Change(domain, shared.row()));
        }
        PolicyRows.saveIfNewer(c, own, database.node());
        return Optional.empty();
    }

    /** A domain whose local policy is replaced by a newer row, or dropped when there is none. */
    private record Change(String domain, Optional<StoredPolicy> newer) {}
}
