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

    private PolicyEventLog() {}

    /** Appends an event; its place is given by the database. */
    static void append(Connection connection, String domain, PolicyEvent.Kind kind, String node, Instant at)
            throws SQLException {
        try (PreparedStatement insert =
                connection.prepareStatement("INSERT INTO policy_events (domain, kind, node, at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, domain);
            insert.setString(2, kind.column());
            insert.setString(3, node);
            insert.setObject(4, PolicyRows.time(at));
            insert.executeUpdate();
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
