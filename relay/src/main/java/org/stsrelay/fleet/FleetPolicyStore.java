package org.stsrelay.fleet;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.policy.cache.PolicyStore;
import org.stsrelay.policy.cache.StoredPolicy;

/**
 * The policy store of a fleet node: its local files, durable on their own, in front of the fleet's shared
 * {@code policies} table. Reads take whichever of the two was validated later; a save is local first, then shared
 * unless the row is newer; while the database is unreachable everything is local, without trying it, so no mail
 * waits on a dead database (RFC 8461 §10.2 holds on each node through its files).
 */
public final class FleetPolicyStore implements PolicyStore {

    private static final Logger LOG = LoggerFactory.getLogger(FleetPolicyStore.class);

    private final FleetDatabase database;
    private final PolicyStore local;
    private final Clock clock;

    /** A store over {@code local}, this node's files, and the fleet {@code database}. */
    public FleetPolicyStore(FleetDatabase database, PolicyStore local, Clock clock) {
        this.database = database;
        this.local = local;
        this.clock = clock;
    }

    @Override
    public Optional<StoredPolicy> load(String domain) throws IOException {
        Optional<StoredPolicy> mine = local.load(domain);
        if (!database.reachable()) {
            return mine;
        }
        Optional<SharedState> shared = database.call("policy_load", c -> SharedState.read(c, domain));
        return shared.isPresent() ? reconcile(domain, mine, shared.get()) : mine;
    }

    @Override
    public List<StoredPolicy> loadAll() throws IOException {
        List<StoredPolicy> mine = local.loadAll();
        if (!database.reachable()) {
            return mine;
        }
        Optional<Snapshot> snapshot =
                database.call("policy_load_all", c -> new Snapshot(PolicyRows.all(c), PolicyEventLog.lastPurges(c)));
        if (snapshot.isEmpty()) {
            return mine;
        }
        Map<String, StoredPolicy> rows = snapshot.get().rows().stream()
                .collect(Collectors.toMap(p -> p.policy().domain(), Function.identity()));
        List<StoredPolicy> all = new ArrayList<>();
        for (StoredPolicy own : mine) {
            String domain = own.policy().domain();
            SharedState shared = new SharedState(
                    Optional.ofNullable(rows.remove(domain)),
                    Optional.ofNullable(snapshot.get().purges().get(domain)));
            reconcile(domain, Optional.of(own), shared).ifPresent(all::add);
        }
        // The fleet's other policies warm this node's memory too; files are written when it uses them.
        all.addAll(rows.values());
        return all;
    }

    // The later validation wins (RFC 8461 §10.2 across the fleet); a newer row refreshes the local copy, so that it
    // is enforced through a later outage too, and a local policy purged fleet-wide since its validation goes.
    private Optional<StoredPolicy> reconcile(String domain, Optional<StoredPolicy> mine, SharedState shared)
            throws IOException {
        Optional<StoredPolicy> row = shared.row();
        if (row.isPresent() && (mine.isEmpty() || shared.isNewerThan(mine.get()))) {
            local.save(row.get());
            return row;
        }
        if (mine.isPresent() && shared.purgedSince(mine.get())) {
            LOG.info("dropping the local policy of {}: purged in the fleet since it was validated", domain);
            local.delete(domain);
            return row;
        }
        return mine.isPresent() ? mine : row;
    }

    /** Saves locally (durable first), then in the fleet unless its row was validated later (RFC 8461 §10.2). */
    @Override
    public void save(StoredPolicy policy) throws IOException {
        local.save(policy);
        if (database.reachable()) {
            database.call("policy_save", c -> PolicyRows.saveIfNewer(c, policy, database.node()));
        }
    }

    /**
     * Saves an operator's forced refresh locally and in the fleet, whatever the row held, and tells every node to
     * take it. Operators' actions always try the database: they are not on the mail path.
     */
    @Override
    public void replace(StoredPolicy policy) throws IOException {
        local.save(policy);
        String domain = policy.policy().domain();
        Optional<Boolean> shared = database.call("policy_refresh", c -> {
            PolicyRows.replace(c, policy, database.node());
            PolicyEventLog.append(c, domain, PolicyEvent.Kind.REFRESH, database.node(), clock.instant());
            return Boolean.TRUE;
        });
        if (shared.isEmpty()) {
            LOG.warn("the refreshed policy of {} reached only this node: the fleet database is unreachable", domain);
        }
    }

    /** Purges locally and in the fleet, and tells every node to purge (RFC 8461 §10.3). */
    @Override
    public boolean delete(String domain) throws IOException {
        boolean mine = local.delete(domain);
        Optional<Boolean> shared = database.call("policy_purge", c -> {
            boolean had = PolicyRows.delete(c, domain);
            PolicyEventLog.append(c, domain, PolicyEvent.Kind.PURGE, database.node(), clock.instant());
            return had;
        });
        if (shared.isEmpty()) {
            LOG.warn(
                    "the purge of {} reached only this node: the fleet database is unreachable; repeat it later",
                    domain);
        }
        return mine || shared.orElse(false);
    }

    /**
     * Removes an expired policy locally and in the fleet, each only if nothing validated later replaced it; no event:
     * this is housekeeping, and another node may have refreshed the policy meanwhile.
     */
    @Override
    public boolean deleteExpired(StoredPolicy expired) throws IOException {
        String domain = expired.policy().domain();
        Optional<StoredPolicy> mine = local.load(domain);
        boolean deleted = mine.isPresent() && !SharedState.validatedLater(mine.get(), expired) && local.delete(domain);
        if (database.reachable()) {
            deleted |= database.call("policy_expire", c -> PolicyRows.deleteUnlessNewer(c, expired))
                    .orElse(false);
        }
        return deleted;
    }

    /** Every row and every domain's last purge, read in one transaction. */
    private record Snapshot(List<StoredPolicy> rows, Map<String, Instant> purges) {}
}
