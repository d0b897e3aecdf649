package org.stsrelay.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.policy.ParseResult;
import org.stsrelay.policy.Policy;
import org.stsrelay.policy.PolicyParser;
import org.stsrelay.policy.cache.StoredPolicy;

/** The {@code policies} table: one row per policy domain, the policy text and when it was fetched and validated. */
final class PolicyRows {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyRows.class);
    private static final String COLUMNS = "domain, policy_id, policy_text, fetched_at, validated_at, expires_at";
    private static final String VALUES = "?, ?, ?, ?::timestamptz, ?::timestamptz, ?::timestamptz, ?";
    private static final String UPSERT = " ON CONFLICT (domain) DO UPDATE SET policy_id = excluded.policy_id, "
            + "policy_text = excluded.policy_text, fetched_at = excluded.fetched_at, "
            + "validated_at = excluded.validated_at, expires_at = excluded.expires_at, stored_by = excluded.stored_by";
    private static final String INSERT = "INSERT INTO policies (" + COLUMNS + ", stored_by) VALUES (" + VALUES + ")";
    // A purge at the very time of the validation wins the tie, as in SharedState.purgedSince.
    private static final String INSERT_UNLESS_PURGED = "INSERT INTO policies (" + COLUMNS + ", stored_by) "
            + "SELECT v.* FROM (VALUES (" + VALUES + ")) AS v (" + COLUMNS + ", stored_by) "
            + "WHERE NOT EXISTS (SELECT 1 FROM policy_events e "
            + "WHERE e.domain = v.domain AND e.kind = 'purge' AND e.at >= v.validated_at)";

    private PolicyRows() {}

    /** The stored policy of {@code domain}; empty when there is no row or its text no longer parses. */
    static Optional<StoredPolicy> find(Connection connection, String domain) throws SQLException {
        try (PreparedStatement select =
                connection.prepareStatement("SELECT " + COLUMNS + " FROM policies WHERE domain = ?")) {
            select.setString(1, domain);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? read(row) : Optional.empty();
            }
        }
    }

    /** Every stored policy whose text parses. */
    static List<StoredPolicy> all(Connection connection) throws SQLException {
        List<StoredPolicy> all = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM policies");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                read(rows).ifPresent(all::add);
            }
        }
        return all;
    }

    /**
     * Stores {@code stored} unless the row holds a policy validated at the same time or later, so that no node
     * downgrades what another validated since (RFC 8461 §10.2), or unless an operator purged the domain since it was
     * validated: a save racing a purge on another node never brings the purged policy back (RFC 8461 §10.3). Tells
     * whether the row was written.
     */
    static boolean saveIfNewer(Connection connection, StoredPolicy stored, String node) throws SQLException {
        PolicyEventLog.lockAgainstAppends(connection);
        return write(
                connection,
                INSERT_UNLESS_PURGED + UPSERT + " WHERE policies.validated_at < excluded.validated_at",
                stored,
                node);
    }

    /** Stores {@code stored} whatever the row holds: an operator's forced refresh. */
    static void replace(Connection connection, StoredPolicy stored, String node) throws SQLException {
        PolicyEventLog.lockForAppend(connection);
        write(connection, INSERT + UPSERT, stored, node);
    }

    private static boolean write(Connection connection, String sql, StoredPolicy stored, String node)
            throws SQLException {
        Policy policy = stored.policy();
        try (PreparedStatement upsert = connection.prepareStatement(sql)) {
            upsert.setString(1, policy.domain());
            upsert.setString(2, policy.id());
            upsert.setString(3, policy.text());
            upsert.setObject(4, time(policy.fetchedAt()));
            upsert.setObject(5, time(stored.validatedAt()));
            upsert.setObject(6, time(stored.expiresAt()));
            upsert.setString(7, node);
            return upsert.executeUpdate() == 1;
        }
    }

    /** Deletes the row of {@code domain}, an operator's purge; tells whether there was one. */
    static boolean delete(Connection connection, String domain) throws SQLException {
        PolicyEventLog.lockForAppend(connection);
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM policies WHERE domain = ?")) {
            delete.setString(1, domain);
            return delete.executeUpdate() == 1;
        }
    }

    /** Deletes the row of an expired policy, unless a policy validated later replaced it; tells whether it did. */
    static boolean deleteUnlessNewer(Connection connection, StoredPolicy expired) throws SQLException {
        try (PreparedStatement delete =
                connection.prepareStatement("DELETE FROM policies WHERE domain = ? AND validated_at <= ?")) {
            delete.setString(1, expired.policy().domain());
            delete.setObject(2, time(expired.validatedAt()));
            return delete.executeUpdate() == 1;
        }
    }

    // The text is parsed again, as a local file is: a row is trusted no more than a file.
    private static Optional<StoredPolicy> read(ResultSet row) throws SQLException {
        String domain = row.getString("domain");
        ParseResult parsed = PolicyParser.parse(row.getString("policy_text"));
        if (!(parsed instanceof ParseResult.Valid valid)) {
            LOG.warn("ignoring the damaged policy row of {}", domain);
            return Optional.empty();
        }
        try {
            Policy policy =
                    new Policy(domain, row.getString("policy_id"), valid.document(), instant(row, "fetched_at"));
            return Optional.of(new StoredPolicy(policy, instant(row, "validated_at")));
        } catch (IllegalArgumentException damaged) {
            LOG.warn("ignoring the damaged policy row of {}: {}", domain, damaged.getMessage());
            return Optional.empty();
        }
    }

    /** {@code instant} as a timestamptz parameter. */
    static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(micros(instant), ZoneOffset.UTC);
    }

    /** A timestamptz column as an instant. */
    static Instant instant(ResultSet row, String column) throws SQLException {
        return row.getObject(column, OffsetDateTime.class).toInstant();
    }

    /** {@code instant} at the database's precision, so that a time read back compares equal to the one written. */
    static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}
