package org.stsrelay.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.config.ClusterConfig;
import org.stsrelay.fleet.FleetDatabase;
import org.stsrelay.fleet.NodeHeartbeat;
import org.stsrelay.support.NamedThreads;

/**
 * Fleet mode (the {@code cluster} section): the database pool, this node's heartbeat, and the one thread that every
 * background exchange with the database runs on. Without a {@code cluster.database} it does nothing.
 */
final class FleetStage implements Stage {

    private static final Logger LOG = LoggerFactory.getLogger(FleetStage.class);
    /** The first retention run waits for the start-up's own database work. */
    private static final Duration RETENTION_DELAY = Duration.ofMinutes(1);

    private final ClusterConfig config;
    private final MeterRegistry registry;
    private final Clock clock;
    private FleetDatabase database;
    private ScheduledExecutorService sync;

    FleetStage(ClusterConfig config, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.registry = registry;
        this.clock = clock;
    }

    /** Opens the pool and starts the heartbeat; a database that is down delays nothing. */
    @Override
    public void start() throws IOException {
        if (config.database().isEmpty()) {
            return;
        }
        ClusterConfig.Database db = config.database().get();
        database = FleetDatabase.open(db, registry);
        sync = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("fleet-sync"));
        NodeHeartbeat heartbeat = new NodeHeartbeat(database, RelayVersion.text(), clock);
        sync.scheduleWithFixedDelay(heartbeat::beat, 0, NodeHeartbeat.PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("fleet mode: node {} of {}", db.nodeName(), db.url());
    }

    /** The fleet database; empty in single-node mode. */
    Optional<FleetDatabase> database() {
        return Optional.ofNullable(database);
    }

    /** The thread background database work runs on; only in fleet mode. */
    ScheduledExecutorService sync() {
        return sync;
    }

    /** Stops the background work (the stages that use it stopped before), then closes the pool. */
    @Override
    public void close() {
        if (sync != null) {
            sync.shutdown();
            try {
                if (!sync.awaitTermination(10, TimeUnit.SECONDS)) {
                    sync.shutdownNow();
                }
            } catch (InterruptedException interrupted) {
                sync.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        if (database != null) {
            database.close();
        }
    }
}
