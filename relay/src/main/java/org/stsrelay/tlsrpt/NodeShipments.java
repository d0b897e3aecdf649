package org.stsrelay.tlsrpt;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The shipping columns of the {@code nodes} rows: how far each node's results are in the database. */
final class NodeShipments {

    private NodeShipments() {}

    /**
     * Records a shipment of {@code node} at {@code at}; {@code through}, when present, is the time before which
     * every result the node recorded is now shipped. The row itself is the heartbeat's: absent, nothing is written.
     */
    static void record(Connection c, String node, Instant at, Optional<Instant> through, long unshipped)
            throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE nodes SET last_shipment = ?, "
                + "shipped_through = coalesce(?, shipped_through), unshipped_results = ? WHERE name = ?")) {
            update.setObject(1, utc(at));
            if (through.isPresent()) {
                update.setObject(2, utc(through.get()));
            } else {
                update.setNull(2, Types.TIMESTAMP_WITH_TIMEZONE);
            }
            update.setLong(3, unshipped);
            update.setString(4, node);
            update.executeUpdate();
        }
    }

    /**
     * The nodes seen during {@code day} whose results of the day are not all shipped yet: their shipments do not
     * reach the end of the day.
     */
    static List<String> behind(Connection c, LocalDate day) throws SQLException {
        Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<String> names = new ArrayList<>();
        try (PreparedStatement query = c.prepareStatement("SELECT name FROM nodes WHERE last_seen >= ? "
                + "AND (shipped_through IS NULL OR shipped_through < ?) ORDER BY name")) {
            query.setObject(1, utc(start));
            query.setObject(2, utc(end));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        return names;
    }

    /** A timestamptz parameter, independent of the JVM's time zone. */
    static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
