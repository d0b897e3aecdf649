package org.stsrelay.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code policy_events} table: operators' purges and refreshes, in order, for every node to apply. */
final class PolicyEventLog {

    // An arbitrary constant that names "sts-relay policy events" among the database's advisory locks.
    private static final long APPEND_LOCK = 0x5354_5352_5045_5654L;

    private PolicyEventLog() {}

    /**
     * Appends an event; its place is given by the database. Appends are serialised until their transaction ends, so
     * places are committed in order: a node that has read place n never later finds a smaller one appear (a plain
     * sequence can commit 6 before 5, and a reader past 6 would miss 5). Operators' actions are rare; the wait is
     * nothing.
     */
    static void append(Connection connection, String domain, PolicyEvent.Kind kind, String node, Instant at)
            throws SQLException {
        lockForAppend(connection);
        try (PreparedStatement insert =
                connection.prepareStatement("INSERT INTO policy_events (domain, kind, node, at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, domain);
            insert.setString(2, kind.column());
            insert.setString(3, node);
            insert.setObject(4, PolicyRows.time(at));
            insert.executeUpdate();
        }
    }

    /**
     * Takes the append lock until the transaction ends. An operator's action takes it before it touches a row, so
     * that a save holding {@link #lockAgainstAppends} sees either none of the action or all of it, never a row
     * deleted without its purge event; taken twice in one transaction it is still one lock.
     */
    static void lockForAppend(Connection connection) throws SQLException {
        advisory(connection, "pg_advisory_xact_lock");
    }

    /** Waits out an operator's action in progress and holds the next off until the transaction ends; saves share it. */
    static void lockAgainstAppends(Connection connection) throws SQLException {
        advisory(connection, "pg_advisory_xact_lock_shared");
    }

    private static void advisory(Connection connection, String function) throws SQLException {
        try (Statement lock = connection.createStatement()) {
            lock.execute("SELECT " + function + "(" + APPEND_LOCK + ")");
        }
    }

    /** The place of the last event; 0 when there is none. */
    static long last(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT coalesce(max(seq), 0) FROM policy_events")) {
            row.next();
            return row.getLong(1);
        }
    }

    /** The events after place {@code seq}, in order. */
    static List<PolicyEvent> after(Connection connection, long seq) throws SQLException {
        List<PolicyEvent> events = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT seq, domain, kind, node, at FROM policy_events WHERE seq > ? ORDER BY seq")) {
            select.setLong(1, seq);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    events.add(new PolicyEvent(
                            rows.getLong("seq"),
                            rows.getString("domain"),
                            PolicyEvent.Kind.of(rows.getString("kind")),
                            rows.getString("node"),
                            PolicyRows.instant(rows, "at")));
                }
            }
        }
        return events;
    }

    /** When the policy of {@code domain} was last purged. */
    static Optional<Instant> lastPurge(Connection connection, String domain) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT max(at) AS at FROM policy_events WHERE domain = ? AND kind = 'purge'")) {
            select.setString(1, domain);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getObject("at") == null ? Optional.empty() : Optional.of(PolicyRows.instant(row, "at"));
            }
        }
    }

    /** When each purged domain was last purged. */
    static Map<String, Instant> lastPurges(Connection connection) throws SQLException {
        Map<String, Instant> purges = new HashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT domain, max(at) AS at FROM policy_events WHERE kind = 'purge' GROUP BY domain")) {
            while (rows.next()) {
                purges.put(rows.getString("domain"), PolicyRows.instant(rows, "at"));
            }
        }
        return purges;
    }
}
