package org.stsrelay.policy.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import org.stsrelay.support.NamedThreads;

/**
 * The transport every test DNS server shares: UDP and TCP on one free loopback port (RFC 1035 §4.2), each query
 * handed to a {@link Responder} and its reply sent back, until closed.
 */
public final class LoopbackDnsServer implements AutoCloseable {

    private static final int ATTEMPTS = 20;

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Responder responder;
    private volatile boolean open = true;

    /** Answers one query given in wire form. */
    @FunctionalInterface
    public interface Responder {

        /** Returns the reply to {@code query} in wire form, or null to leave it unanswered. */
        byte[] reply(byte[] query, boolean overTcp) throws IOException;
    }

    private LoopbackDnsServer(DatagramSocket udp, ServerSocket tcp, Responder responder) {
        this.udp = udp;
        this.tcp = tcp;
        this.responder = responder;
    }

    /** Binds a free port of 127.0.0.1 and serves it on two daemon threads named after {@code job}. */
    public static LoopbackDnsServer start(String job, Responder responder) throws IOException {
        BindException last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ServerSocket tcp = new ServerSocket();
            try {
                // The system picks a free UDP port; its TCP twin may be taken by someone else, so that is retried.
                tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.getLocalPort()));
            } catch (BindException taken) {
                last = taken;
                tcp.close();
                udp.close();
                continue;
            }
            LoopbackDnsServer server = new LoopbackDnsServer(udp, tcp, responder);
            NamedThreads.daemon(job + "-udp").newThread(server::serveUdp).start();
            NamedThreads.daemon(job + "-tcp").newThread(server::serveTcp).start();
            return server;
        }
        throw last;
    }

    /** Returns the port on 127.0.0.1, the same for UDP and TCP. */
    public int port() {
        return udp.getLocalPort();
    }

    /** Returns {@code 127.0.0.1:port}, as {@code dns.servers} takes it. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    private void serveUdp() {
        byte[] buffer = new byte[4096];
        while (open) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                byte[] reply = responder.reply(Arrays.copyOf(packet.getData(), packet.getLength()), false);
                if (reply != null) {
                    udp.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                }
            } catch (IOException e) {
                if (!open) {
                    return;
                }
            }
        }
    }

    // Over TCP every message is preceded by its length in two bytes (RFC 1035 §4.2.2).
    private void serveTcp() {
        while (open) {
            try (Socket socket = tcp.accept()) {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                byte[] reply = responder.reply(query, true);
                if (reply != null) {
                    DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                    out.writeShort(reply.length);
                    out.write(reply);
                    out.flush();
                }
            } catch (IOException e) {
                if (!open) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        open = false;
        udp.close();
        tcp.close();
    }
}
