package org.stsrelay.support;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.ThreadFactory;

/**
 * The one place that picks Netty's transport: native epoll where its library loads (Linux on x86-64, as
 * shipped), else the JDK's NIO. Epoll does the same work with fewer system calls and no selector garbage.
 * Channels follow their group, so a group made elsewhere (a test's NIO loops) still gets channels it can run.
 *
 * <p>Channels keep Netty 4.2's default allocator (the adaptive one). The pooled allocator was measured faster
 * on the accept path, but with it some policy fetches (JDK TLS) sent corrupted records under load, a cause not
 * found; see README › Decisions › Performance.
 */
public final class Transports {

    private Transports() {}

    /** Event loops on the best transport here; {@code threads} 0 for Netty's default (two per core). */
    public static EventLoopGroup group(int threads, ThreadFactory threadFactory) {
        return new MultiThreadIoEventLoopGroup(
                threads, threadFactory, Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /** A client bootstrap on {@code group}, with the channel class that runs on it. */
    public static Bootstrap client(EventLoopGroup group) {
        return new Bootstrap().group(group).channel(socketChannel(group));
    }

    /** A server bootstrap on {@code group}, with the listening channel class that runs on it. */
    public static ServerBootstrap server(EventLoopGroup group) {
        return new ServerBootstrap().group(group).channel(serverChannel(group));
    }

    /** The name of the transport {@link #group} uses here, for the start-up log. */
    public static String name() {
        return Epoll.isAvailable() ? "epoll" : "nio";
    }

    /** The client socket channel that runs on {@code group}'s loops. */
    private static Class<? extends SocketChannel> socketChannel(EventLoopGroup group) {
        return isEpoll(group) ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** The listening socket channel that runs on {@code group}'s loops. */
    private static Class<? extends ServerSocketChannel> serverChannel(EventLoopGroup group) {
        return isEpoll(group) ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    private static boolean isEpoll(EventLoopGroup group) {
        return group instanceof IoEventLoopGroup loops && loops.isIoType(EpollIoHandler.class);
    }
}
