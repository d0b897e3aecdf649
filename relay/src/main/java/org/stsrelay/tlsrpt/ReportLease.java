package org.stsrelay.tlsrpt;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import org.stsrelay.fleet.FleetDatabase;

/**
 * The report lease of a day in {@code tlsrpt_leases}: only the node that holds it sends or retries that day's
 * reports, so the fleet sends each report once. The lease runs out {@code ttl} after it was last taken or renewed,
 * by the database's clock (nodes' clocks may differ), so a node that dies while sending holds up the others for
 * one ttl at most.
 */
final class ReportLease {

    private final FleetDatabase database;
    private final Duration ttl;

    ReportLease(FleetDatabase database, Duration ttl) {
        this.database = database;
        this.ttl = ttl;
    }

    /** Takes the day's lease, or renews it if this node holds it; false if another node holds it or no database. */
    boolean acquire(LocalDate day) {
        return database.call("tlsrpt-lease", c -> take(c, day)).orElse(false);
    }

    /**
     * Renews the lease within the caller's transaction; false when this node no longer holds it (it ran out and
     * another node took it), and then the caller must not write as the day's sender. A lease that ran out but
     * that nobody took is still this node's: nobody else can have sent meanwhile.
     */
    boolean renew(Connection c, LocalDate day) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE tlsrpt_leases SET until = now() + " + "make_interval(secs => ?) WHERE day = ? AND node = ?")) {
            update.setDouble(1, ttl.toMillis() / 1000.0);
            update.setDate(2, Date.valueOf(day));
            update.setString(3, database.node());
            return update.executeUpdate() == 1;
        }
    }

    /** Gives the lease up, so another node need not wait for it to run out. */
    void release(LocalDate day) {
        database.call("tlsrpt-lease", c -> {
            try (PreparedStatement delete =
                    c.prepareStatement("DELETE FROM tlsrpt_leases WHERE day = ? AND node = ?")) {
                delete.setDate(1, Date.valueOf(day));
                delete.setString(2, database.node());
                return delete.executeUpdate();
            }
        });
    }

    private Boolean take(Connection c, LocalDate day) throws SQLException {
        // A concurrent taker waits on the row's unique key, then sees this lease and updates nothing.
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO tlsrpt_leases (day, node, until) "
                + "VALUES (?, ?, now() + make_interval(secs => ?)) ON CONFLICT (day) DO UPDATE "
                + "SET node = excluded.node, until = excluded.until "
                + "WHERE tlsrpt_leases.node = excluded.node OR tlsrpt_leases.until <= now()")) {
            upsert.setDate(1, Date.valueOf(day));
            upsert.setString(2, database.node());
            upsert.setDouble(3, ttl.toMillis() / 1000.0);
            return upsert.executeUpdate() == 1;
        }
    }
}
