package org.stsrelay.fleet;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.config.ClusterConfig;
import org.stsrelay.support.NamedThreads;

/**
 * The fleet database as every fleet component uses it: a small connection pool, the schema brought up to date
 * before the first call, and every call a transaction whose failure is a value (an empty result), counted and
 * logged once per outage, never thrown at mail. Nothing waits long: connecting gives up after a few seconds.
 */
public final class FleetDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetDatabase.class);
    private static final int POOL_SIZE = 4;
    private static final long CONNECT_TIMEOUT_MILLIS = 3_000;
    private static final int SOCKET_TIMEOUT_SECONDS = 30;

    private final HikariDataSource pool;
    private final String node;
    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> errors = new ConcurrentHashMap<>();
    private final AtomicBoolean reachable = new AtomicBoolean(true);
    private volatile boolean migrated;

    private FleetDatabase(HikariDataSource pool, String node, MeterRegistry registry) {
        this.pool = pool;
        this.node = node;
        this.registry = registry;
        Gauge.builder("sts.relay.cluster.database.reachable", reachable, up -> up.get() ? 1 : 0)
                .description("1 while the last call to the fleet database succeeded")
                .register(registry);
    }

    /**
     * Opens the pool without connecting: a database that is down at start-up delays nothing, and the first call
     * that reaches it applies the migrations.
     */
    public static FleetDatabase open(ClusterConfig.Database config, MeterRegistry registry) throws IOException {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        config.password().ifPresent(hikari::setPassword);
        hikari.setPoolName("fleet-db");
        hikari.setMaximumPoolSize(POOL_SIZE);
        hikari.setMinimumIdle(1);
        hikari.setAutoCommit(false);
        hikari.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
        hikari.setValidationTimeout(1_000);
        hikari.setInitializationFailTimeout(-1);
        hikari.setThreadFactory(NamedThreads.daemon("fleet-db"));
        hikari.addDataSourceProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_MILLIS / 1000));
        hikari.addDataSourceProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT_MILLIS / 1000));
        hikari.addDataSourceProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT_SECONDS));
        hikari.addDataSourceProperty("tcpKeepAlive", "true");
        hikari.addDataSourceProperty("ApplicationName", "sts-relay " + config.nodeName());
        return new FleetDatabase(new HikariDataSource(hikari), config.nodeName(), registry);
    }

    /** This node's name in the fleet. */
    public String node() {
        return node;
    }

    /** Whether the last call succeeded. */
    public boolean reachable() {
        return reachable.get();
    }

    /**
     * Runs {@code work} in one transaction; empty when the database cannot be reached or the work fails, which is
     * counted under {@code operation} and logged at the start of an outage.
     */
    public <T> Optional<T> call(String operation, SqlWork<T> work) {
        try {
            T result = callOrThrow(work);
            if (reachable.compareAndSet(false, true)) {
                LOG.info("fleet database reachable again");
            }
            return Optional.ofNullable(result);
        } catch (SQLException | RuntimeException e) {
            errors.computeIfAbsent(operation, this::errorCounter).increment();
            if (reachable.compareAndSet(true, false)) {
                LOG.warn(
                        "fleet database unreachable ({}: {}); going on from the local store and journal",
                        operation,
                        e.getMessage());
            } else {
                LOG.debug("fleet database {} failed: {}", operation, e.getMessage());
            }
            return Optional.empty();
        }
    }

    /** As {@link #call}, but a failure is thrown, for the command line, which reports it to the operator. */
    public <T> T callOrThrow(SqlWork<T> work) throws SQLException {
        try {
            return attempt(work);
        } catch (SQLException e) {
            if (!connectionEnded(e)) {
                throw e;
            }
            // A pooled connection the server ended (a restart, an administrator) fails at its first use; the pool
            // has dropped it, and the transaction did not commit, so another connection says whether the database
            // itself is down. Without this, every node would fall back to the network once per pooled connection
            // after each database restart.
            return attempt(work);
        }
    }

    /**
     * Whether {@code e} says the connection itself is gone: SQLSTATE class 08 (connection exception) or 57P01 to
     * 57P03 (the server shut the session down, or is starting).
     */
    static boolean connectionEnded(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }

    private <T> T attempt(SqlWork<T> work) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            try {
                if (!migrated) {
                    SchemaMigrations.apply(connection);
                    connection.commit();
                    migrated = true;
                }
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(connection);
                throw e;
            }
        }
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; the pool drops it.
        }
    }

    private Counter errorCounter(String operation) {
        return Counter.builder("sts.relay.cluster.database.errors")
                .description("Fleet database calls that failed, by operation")
                .tag("operation", operation)
                .register(registry);
    }

    /** Closes the pool. */
    @Override
    public void close() {
        pool.close();
    }
}
