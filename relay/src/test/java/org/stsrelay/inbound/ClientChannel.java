package org.stsrelay.inbound;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** An EmbeddedChannel with a real client IP address, for relay and connection-limit rules. */
final class ClientChannel extends EmbeddedChannel {

    private final InetSocketAddress remote;

    ClientChannel(InetSocketAddress remote) {
        super(false, false);
        this.remote = remote;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }
}
