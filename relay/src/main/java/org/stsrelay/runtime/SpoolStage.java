package org.stsrelay.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.config.SpoolConfig;
import org.stsrelay.spool.FileSpool;

/** The durable spool: opened (and recovered) first, closed last, so nothing writes to it after it closed. */
final class SpoolStage implements Stage {

    private static final Logger LOG = LoggerFactory.getLogger(SpoolStage.class);

    private final SpoolConfig config;
    private final MeterRegistry registry;
    private final Clock clock;
    private FileSpool spool;

    SpoolStage(SpoolConfig config, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public void start() throws IOException {
        spool = FileSpool.open(config, registry, clock);
        LOG.info("spool {} holds {} message(s)", config.directory().toAbsolutePath(), spool.size());
    }

    /** The open spool; valid once started. */
    FileSpool spool() {
        return spool;
    }

    @Override
    public void close() {
        if (spool == null) {
            return;
        }
        try {
            spool.close();
        } catch (IOException e) {
            LOG.error("spool did not close cleanly: {}", e.getMessage());
        }
    }
}
