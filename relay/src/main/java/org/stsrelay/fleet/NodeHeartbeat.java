package org.stsrelay.fleet;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;

/** This node's row in {@code nodes}: written at start and refreshed every beat, so {@code cluster status} sees it. */
public final class NodeHeartbeat {

    /** How often a running node beats; {@code cluster status} calls a node silent after three missed beats. */
    public static final java.time.Duration PERIOD = java.time.Duration.ofSeconds(10);

    private final FleetDatabase database;
    private final String version;
    private final Instant startedAt;
    private final Clock clock;

    public NodeHeartbeat(FleetDatabase database, String version, Clock clock) {
        this.database = database;
        this.version = version;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /** Writes the row; false when the database cannot be reached. */
    public boolean beat() {
        return database.call("heartbeat", connection -> {
                    try (PreparedStatement upsert = connection.prepareStatement(
                            "INSERT INTO nodes (name, version, started_at, last_seen) VALUES (?, ?, ?, ?) "
                                    + "ON CONFLICT (name) DO UPDATE SET version = excluded.version, "
                                    + "started_at = excluded.started_at, last_seen = excluded.last_seen")) {
                        upsert.setString(1, database.node());
                        upsert.setString(2, version);
                        upsert.setTimestamp(3, Timestamp.from(startedAt));
                        upsert.setTimestamp(4, Timestamp.from(clock.instant()));
                        upsert.executeUpdate();
                    }
                    return Boolean.TRUE;
                })
                .isPresent();
    }
}
