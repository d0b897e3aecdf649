package org.stsrelay.fleet;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.stsrelay.policy.cache.StoredPolicy;

/**
 * What the fleet holds for one domain: its row, and when it was last purged.
 *
 * @param row the domain's stored policy, if any
 * @param purgedAt when an operator last purged it, if ever
 */
record SharedState(Optional<StoredPolicy> row, Optional<Instant> purgedAt) {

    /** Reads the domain's state in the caller's transaction. */
    static SharedState read(Connection connection, String domain) throws SQLException {
        return new SharedState(PolicyRows.find(connection, domain), PolicyEventLog.lastPurge(connection, domain));
    }

    /** Tells whether the row was validated later than {@code own}: then it wins (RFC 8461 §10.2). */
    boolean isNewerThan(StoredPolicy own) {
        return row.isPresent() && validatedLater(row.get(), own);
    }

    // A purge at the very time of a validation counts as later: the operator's intent wins a tie.
    boolean purgedSince(StoredPolicy own) {
        return purgedAt.isPresent() && !purgedAt.get().isBefore(PolicyRows.micros(own.validatedAt()));
    }

    /** Compares validation times at the database's precision. */
    static boolean validatedLater(StoredPolicy a, StoredPolicy b) {
        return PolicyRows.micros(a.validatedAt()).isAfter(PolicyRows.micros(b.validatedAt()));
    }
}
