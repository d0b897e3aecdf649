package org.stsrelay.inbound;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** The IP address of a channel's client. */
final class ClientAddress {

    private static final InetAddress UNSPECIFIED = unspecified();

    private ClientAddress() {}

    /** The remote IP address; channels without one (in-memory transports) count as the unspecified address. */
    static InetAddress of(Channel channel) {
        if (channel.remoteAddress() instanceof InetSocketAddress socket && socket.getAddress() != null) {
            return socket.getAddress();
        }
        return UNSPECIFIED;
    }

    private static InetAddress unspecified() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
