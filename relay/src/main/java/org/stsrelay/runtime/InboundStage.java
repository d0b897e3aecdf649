package org.stsrelay.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.inbound.SmtpServer;

/** The SMTP listener that takes mail from the organisation's clients into the spool. */
final class InboundStage implements Stage {

    private final RelayConfig config;
    private final SpoolStage spool;
    private final EventLoopStage loops;
    private final MeterRegistry registry;
    private final Clock clock;
    private SmtpServer smtp;

    InboundStage(RelayConfig config, SpoolStage spool, EventLoopStage loops, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.spool = spool;
        this.loops = loops;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public void start() throws IOException {
        smtp = new SmtpServer(config.hostname(), config.inbound(), spool.spool(), loops.group(), registry, clock);
        smtp.start();
    }

    /** Whether the listener accepts connections. */
    boolean isListening() {
        return smtp != null && smtp.isListening();
    }

    /** The addresses listened on; valid once started. */
    List<InetSocketAddress> boundAddresses() {
        return smtp.boundAddresses();
    }

    /** Stops accepting and lets in-flight transactions finish. */
    @Override
    public void close() {
        if (smtp != null) {
            smtp.close();
        }
    }
}
