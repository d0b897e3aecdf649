package org.stsrelay.runtime;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/** The event loops shared by inbound SMTP, outbound SMTP, the policy fetch and https report posts. */
final class EventLoopStage implements Stage {

    private final int threads;
    private EventLoopGroup group;

    /** Loops for {@code threads} threads; 0 for Netty's default (two per core). */
    EventLoopStage(int threads) {
        this.threads = threads;
    }

    @Override
    public void start() {
        group = new MultiThreadIoEventLoopGroup(
                threads, new DefaultThreadFactory("io-loop"), NioIoHandler.newFactory());
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
