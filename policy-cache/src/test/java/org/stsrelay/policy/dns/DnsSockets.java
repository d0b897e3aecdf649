package org.stsrelay.policy.dns;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A UDP and a TCP socket on the same free loopback port, as a DNS server needs. The UDP port is
 * chosen by the system; its TCP twin may already be taken by someone else, so that is retried.
 */
public record DnsSockets(DatagramSocket udp, ServerSocket tcp) {

    private static final int ATTEMPTS = 20;

    /** Binds both sockets on 127.0.0.1, retrying with a new port while the TCP one is taken. */
    public static DnsSockets bind() throws IOException {
        BindException last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ServerSocket tcp = new ServerSocket();
            try {
                tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.getLocalPort()));
                return new DnsSockets(udp, tcp);
            } catch (BindException taken) {
                last = taken;
                tcp.close();
                udp.close();
            }
        }
        throw last;
    }
}
