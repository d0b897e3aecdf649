package org.stsrelay.tlsrpt;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;

/**
 * This node's rows in {@code tlsrpt_batches}: one per shipped chunk, keyed by (node, day, first byte), so the
 * journal position is the idempotency key and a chunk shipped twice is stored once.
 */
final class ShippedBatches {

    private final String node;
    private final BatchPayload payload = new BatchPayload();

    ShippedBatches(String node) {
        this.node = node;
    }

    /** Where shipping of {@code day} goes on: the end of the last batch stored, 0 when none. */
    long position(Connection c, LocalDate day) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(
                "SELECT coalesce(max(to_offset), 0) FROM tlsrpt_batches WHERE node = ? AND day = ?")) {
            query.setString(1, node);
            query.setDate(2, Date.valueOf(day));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Stores the chunk; false when a batch starting at the same position is already stored. */
    boolean insert(Connection c, JournalChunk chunk) throws SQLException {
        try (PreparedStatement insert =
                c.prepareStatement("INSERT INTO tlsrpt_batches (node, day, from_offset, to_offset, results, payload) "
                        + "VALUES (?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (node, day, from_offset) DO NOTHING")) {
            insert.setString(1, node);
            insert.setDate(2, Date.valueOf(chunk.day()));
            insert.setLong(3, chunk.from());
            insert.setLong(4, chunk.to());
            insert.setInt(5, (int) Math.min(Integer.MAX_VALUE, chunk.results()));
            insert.setString(6, payload.encode(chunk.groups()));
            return insert.executeUpdate() == 1;
        }
    }

    /** Deletes this node's batches of days before {@code first}, whose reports are long done. */
    int prune(Connection c, LocalDate first) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM tlsrpt_batches WHERE node = ? AND day < ?")) {
            delete.setString(1, node);
            delete.setDate(2, Date.valueOf(first));
            return delete.executeUpdate();
        }
    }
}
