package org.stsrelay.world;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds loopback TCP ports that are free now, so parallel test runs never collide on fixed ports. */
public final class FreePorts {

    private FreePorts() {}

    /** A port on 127.0.0.1 that the kernel handed out for port 0 and that is closed again. */
    public static int next() {
        // Binding port 0 lets the kernel choose; the short window until the relay binds it is the
        // usual, accepted race of this technique (the kernel does not reuse a port at once).
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** Whether {@code port} on 127.0.0.1 can be bound now (it is closed again at once). */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
