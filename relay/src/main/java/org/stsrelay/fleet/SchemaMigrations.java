package org.stsrelay.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations: numbered SQL files applied in order, all pending ones in one transaction, under a
 * transaction-scoped advisory lock so that nodes starting together apply each file once.
 */
final class SchemaMigrations {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

    /** The migrations in order; a file is never edited once released, a change is a new file. */
    static final List<String> FILES = List.of("V1__fleet.sql", "V2__retention.sql");

    // An arbitrary constant that names "sts-relay schema migration" among the database's advisory locks.
    private static final long LOCK_KEY = 0x5354_5352_454c_4159L;

    private SchemaMigrations() {}

    /** Brings the schema up to date; returns the version it is at. */
    static int apply(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            statement.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version ("
                            + "version integer PRIMARY KEY, file text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        }
        int current = current(connection);
        for (int version = current + 1; version <= FILES.size(); version++) {
            String file = FILES.get(version - 1);
            try (Statement statement = connection.createStatement()) {
                statement.execute(script(file));
            }
            try (PreparedStatement insert =
                    connection.prepareStatement("INSERT INTO schema_version (version, file) VALUES (?, ?)")) {
                insert.setInt(1, version);
                insert.setString(2, file);
                insert.executeUpdate();
            }
            LOG.info("fleet database: applied schema migration {}", file);
        }
        if (current > FILES.size()) {
            throw new SQLException("the fleet database schema is at version " + current
                    + ", newer than this relay knows (" + FILES.size() + "): upgrade this node");
        }
        return Math.max(current, FILES.size());
    }

    private static int current(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static String script(String file) throws SQLException {
        try (InputStream in = SchemaMigrations.class.getResourceAsStream("/db/fleet/" + file)) {
            if (in == null) {
                throw new SQLException("migration " + file + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new SQLException("cannot read migration " + file, unreadable);
        }
    }
}
