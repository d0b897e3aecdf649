package org.stsrelay.cli;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.stsrelay.fleet.SqlWork;

/** Reads a {@link ClusterSnapshot}: a few aggregate queries, none of which scans more than one day of batches. */
final class ClusterStatusQuery implements SqlWork<ClusterSnapshot> {

    // Today is the database's UTC day, the day the nodes' batches are filed under (RFC 8460 §4.1: a report
    // covers one UTC day).
    private static final String NODES = "SELECT n.name, n.version, n.started_at, n.last_seen, n.last_shipment,"
            + " n.shipped_through, n.unshipped_results, coalesce(b.results, 0), coalesce(b.batches, 0)"
            + " FROM nodes n LEFT JOIN (SELECT node, sum(results) AS results, count(*) AS batches"
            + " FROM tlsrpt_batches WHERE day = (now() AT TIME ZONE 'UTC')::date GROUP BY node) b"
            + " ON b.node = n.name ORDER BY n.name";

    // RFC 8461 §3.2: the mode is a "mode: enforce" line of the policy text; keys start their line.
    private static final String POLICIES = "SELECT count(*),"
            + " count(*) FILTER (WHERE policy_text ~ '(^|\\n)mode:[ \\t]*enforce[ \\t\\r]*(\\n|$)'),"
            + " count(*) FILTER (WHERE expires_at < now()) FROM policies";

    @Override
    public ClusterSnapshot run(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            Instant now;
            try (ResultSet row = single(statement, "SELECT now()")) {
                now = row.getTimestamp(1).toInstant();
            }
            int version;
            try (ResultSet row = single(statement, "SELECT coalesce(max(version), 0) FROM schema_version")) {
                version = row.getInt(1);
            }
            return new ClusterSnapshot(now, version, nodes(statement), policies(statement));
        }
    }

    private static ResultSet single(Statement statement, String sql) throws SQLException {
        ResultSet row = statement.executeQuery(sql);
        row.next();
        return row;
    }

    private static List<ClusterSnapshot.Node> nodes(Statement statement) throws SQLException {
        List<ClusterSnapshot.Node> nodes = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(NODES)) {
            while (rows.next()) {
                nodes.add(new ClusterSnapshot.Node(
                        rows.getString(1),
                        rows.getString(2),
                        rows.getTimestamp(3).toInstant(),
                        rows.getTimestamp(4).toInstant(),
                        instant(rows.getTimestamp(5)),
                        instant(rows.getTimestamp(6)),
                        rows.getLong(7),
                        rows.getLong(8),
                        rows.getLong(9)));
            }
        }
        return nodes;
    }

    private static ClusterSnapshot.Policies policies(Statement statement) throws SQLException {
        try (ResultSet row = single(statement, POLICIES)) {
            return new ClusterSnapshot.Policies(row.getLong(1), row.getLong(2), row.getLong(3));
        }
    }

    private static Optional<Instant> instant(Timestamp timestamp) {
        return Optional.ofNullable(timestamp).map(Timestamp::toInstant);
    }
}
