package org.stsrelay.runtime;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import org.stsrelay.config.ClusterConfig;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.policy.cache.RefreshReport;

/** The policy cache of a relay built for one operator command, without running the relay. */
public final class OfflinePolicies {

    // Without a running relay nothing applies operator requests; the command does the work itself.
    private static final RequestKinds OFFLINE = (kind, handler) -> {};

    private OfflinePolicies() {}

    /** Discovers and fetches {@code domain}'s policy now, storing it if valid, as the relay configured by {@code config} would. */
    public static RefreshReport refresh(RelayConfig config, String domain) throws IOException {
        EventLoopStage loops = new EventLoopStage(1);
        // An unstarted fleet stage: the command works on this node's files alone, and writes no heartbeat.
        FleetStage noFleet = new FleetStage(ClusterConfig.SINGLE_NODE, new SimpleMeterRegistry(), Clock.systemUTC());
        PolicyStage policies =
                new PolicyStage(config, loops, OFFLINE, new SimpleMeterRegistry(), Clock.systemUTC(), noFleet);
        try {
            loops.start();
            policies.build();
            return policies.admin().refresh(domain).toCompletableFuture().join();
        } finally {
            policies.close();
            loops.close();
        }
    }
}
