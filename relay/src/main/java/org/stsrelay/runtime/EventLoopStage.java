package org.stsrelay.runtime;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.support.Transports;

/** The event loops shared by inbound SMTP, outbound SMTP, the policy fetch and https report posts. */
final class EventLoopStage implements Stage {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoopStage.class);

    private final int threads;
    private EventLoopGroup group;

    /** Loops for {@code threads} threads (0: Netty's default, two per core). */
    EventLoopStage(int threads) {
        this.threads = threads;
    }

    @Override
    public void start() {
        group = Transports.group(threads, new DefaultThreadFactory("io-loop"));
        LOG.info("{} event loop threads on the {} transport", threads, Transports.name());
    }

    /** The loops; valid once started. */
    EventLoopGroup group() {
        return group;
    }

    @Override
    public void close() {
        if (group != null) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
