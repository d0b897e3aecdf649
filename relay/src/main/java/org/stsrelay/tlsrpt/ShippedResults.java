package org.stsrelay.tlsrpt;

import java.io.IOException;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import org.stsrelay.fleet.FleetDatabase;

/** Every node's shipped results of a day, merged: the source of the fleet's reports. */
final class ShippedResults implements ResultSource {

    private final FleetDatabase database;

    ShippedResults(FleetDatabase database) {
        this.database = database;
    }

    /** The day's results of every node; IOException while the database cannot be reached. */
    @Override
    public List<ResultGroup> day(LocalDate day) throws IOException {
        return database.call("tlsrpt-results", c -> read(c, day))
                .orElseThrow(() -> new IOException(
                        "the fleet database is unreachable; the results of " + day + " cannot be read"));
    }

    /** The day's batches of every node, their groups merged. */
    static List<ResultGroup> read(Connection c, LocalDate day) throws SQLException {
        BatchPayload payload = new BatchPayload();
        ResultCounter counter = new ResultCounter();
        try (PreparedStatement query = c.prepareStatement(
                "SELECT payload::text FROM tlsrpt_batches WHERE day = ? ORDER BY node, from_offset")) {
            query.setDate(1, Date.valueOf(day));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    for (ResultGroup group : decode(payload, rows.getString(1))) {
                        counter.add(group);
                    }
                }
            }
        }
        return counter.groups();
    }

    private static List<ResultGroup> decode(BatchPayload payload, String text) throws SQLException {
        try {
            return payload.decode(text);
        } catch (IOException corrupt) {
            throw new SQLException(corrupt.getMessage(), corrupt);
        }
    }
}
