package org.stsrelay.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.owner.OwnerSiteServer;
import org.stsrelay.received.ReportIntake;
import org.stsrelay.support.Transports;

/**
 * The owner site, when {@code owner-site.listen} is set: its own small event loop group ({@code owner-site}), so that
 * TLS handshakes from the internet never delay an SMTP session and a busy SMTP loop never delays a policy fetch.
 */
final class OwnerSiteStage implements Stage {

    private static final Logger LOG = LoggerFactory.getLogger(OwnerSiteStage.class);

    private final RelayConfig config;
    private final ReportIntake intake;
    private final MeterRegistry registry;
    private final Clock clock;
    private EventLoopGroup group;
    private OwnerSiteServer server;

    /** A stage whose posted reports go to {@code intake}. */
    OwnerSiteStage(RelayConfig config, ReportIntake intake, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.intake = intake;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public void start() throws IOException {
        if (!config.ownerSite().enabled()) {
            return;
        }
        group = Transports.group(1, new DefaultThreadFactory("owner-site", true));
        server = new OwnerSiteServer(config.ownerSite(), config.received(), intake, group, registry, clock);
        server.start();
        LOG.info("owner site on {}, serving {}", server.boundAddress(), server.domains());
    }

    /** Where the owner site listens, if it does. */
    Optional<String> boundAddress() {
        return server == null ? Optional.empty() : Optional.of(String.valueOf(server.boundAddress()));
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
