package org.stsrelay.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the shared tables bounded: what no node needs any more is deleted. Every node runs it (the deletes are
 * idempotent); each node deletes its own shipped TLS results itself (ResultShipper).
 */
public final class FleetRetention {

    /** How often a node runs it. */
    public static final Duration PERIOD = Duration.ofHours(6);

    /**
     * A purge is kept longer than any policy it could have removed lives: a policy validated before it has expired
     * (RFC 8461 §3.2: max_age is at most 31557600 seconds), so a node back from a long absence cannot push a purged
     * policy back in its catch-up.
     */
    static final Duration EVENTS_KEPT = Duration.ofDays(400);

    /** Report state and leases: longer than retries (RFC 8460 §5.5, at most a day) and `report status --day` need. */
    static final int REPORT_DAYS_KEPT = 31;

    private static final Logger LOG = LoggerFactory.getLogger(FleetRetention.class);

    private final FleetDatabase database;
    private final Clock clock;

    public FleetRetention(FleetDatabase database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Deletes what is past its retention; returns how many rows, empty when the database failed. */
    public Optional<Integer> run() {
        Instant now = clock.instant();
        LocalDate firstDay = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(REPORT_DAYS_KEPT);
        Optional<Integer> deleted = database.call("retention", connection -> {
            int rows = 0;
            try (PreparedStatement events = connection.prepareStatement("DELETE FROM policy_events WHERE at < ?")) {
                events.setTimestamp(1, Timestamp.from(now.minus(EVENTS_KEPT)));
                rows += events.executeUpdate();
            }
            rows += deleteBefore(connection, "DELETE FROM tlsrpt_report_state WHERE day < ?", firstDay);
            rows += deleteBefore(connection, "DELETE FROM tlsrpt_leases WHERE day < ?", firstDay);
            try (PreparedStatement claims =
                    connection.prepareStatement("DELETE FROM policy_fetch_claims WHERE until < ?")) {
                claims.setTimestamp(1, Timestamp.from(now));
                rows += claims.executeUpdate();
            }
            return rows;
        });
        deleted.filter(rows -> rows > 0).ifPresent(rows -> LOG.info("fleet database: {} expired rows deleted", rows));
        return deleted;
    }

    private static int deleteBefore(Connection connection, String sql, LocalDate day) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setObject(1, day);
            return delete.executeUpdate();
        }
    }
}
