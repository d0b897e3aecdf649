package org.stsrelay.world;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The downgrade attacker of RFC 8461 §1: a man in the middle that forwards SMTP to a good MX but
 * deletes STARTTLS from its EHLO reply and refuses a STARTTLS command itself, so a client that
 * falls back to plaintext hands the message over in the clear.
 */
public final class StartTlsStripper implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final AtomicLong strippedReplies = new AtomicLong();
    private volatile boolean open = true;

    private StartTlsStripper(ServerSocket listener, InetSocketAddress upstream) {
        this.listener = listener;
        this.upstream = upstream;
    }

    /** Listens on {@code address} and forwards every connection to {@code upstream}. */
    public static StartTlsStripper start(InetSocketAddress address, InetSocketAddress upstream) {
        try {
            ServerSocket listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(address, 128);
            StartTlsStripper stripper = new StartTlsStripper(listener, upstream);
            Daemons.start("world-stripper-accept", stripper::acceptLoop);
            return stripper;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address, e);
        }
    }

    /** The address it listens on. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** EHLO replies from which it removed STARTTLS. */
    public long strippedReplies() {
        return strippedReplies.get();
    }

    private void acceptLoop() {
        while (open) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(upstream, 5000);
                SmtpLines toClient = new SmtpLines(client);
                SmtpLines toServer = new SmtpLines(server);
                Daemons.start("world-stripper-down", () -> downstream(toServer, toClient, client, server));
                Daemons.start("world-stripper-up", () -> upstream(toClient, toServer, client, server));
            } catch (IOException e) {
                if (!open) {
                    return;
                }
            }
        }
    }

    /** Server → client: whole replies, with any STARTTLS line of a multi-line reply taken out. */
    private void downstream(SmtpLines fromServer, SmtpLines toClient, Socket client, Socket server) {
        try {
            List<String> reply = new ArrayList<>();
            while (true) {
                String line = fromServer.read();
                reply.add(line);
                if (line.length() > 3 && line.charAt(3) == '-') {
                    continue;
                }
                synchronized (toClient) {
                    for (String out : strip(reply)) {
                        toClient.writeRaw((out + "\r\n").getBytes(StandardCharsets.UTF_8));
                    }
                    toClient.flush();
                }
                reply.clear();
            }
        } catch (IOException closed) {
            closeBoth(client, server);
        }
    }

    private List<String> strip(List<String> reply) {
        List<String> kept = new ArrayList<>();
        for (String line : reply) {
            if (line.length() > 4 && line.substring(4).trim().equalsIgnoreCase("STARTTLS")) {
                strippedReplies.incrementAndGet();
                continue;
            }
            kept.add(line);
        }
        if (!kept.isEmpty()) {
            // The removed line may have been the last one: the new last line must end the reply.
            String last = kept.remove(kept.size() - 1);
            kept.add(last.length() > 3 ? last.substring(0, 3) + " " + last.substring(4) : last);
        }
        return kept;
    }

    /** Client → server: raw lines, except a STARTTLS command outside DATA, which it answers itself. */
    private void upstream(SmtpLines fromClient, SmtpLines toServer, Socket client, Socket server) {
        boolean inData = false;
        try {
            while (true) {
                byte[] raw = fromClient.readRaw();
                if (raw == null) {
                    break;
                }
                String line = new String(raw, StandardCharsets.US_ASCII).trim();
                if (!inData && line.equalsIgnoreCase("STARTTLS")) {
                    synchronized (fromClient) {
                        fromClient.writeRaw("502 5.5.1 STARTTLS not available\r\n".getBytes(StandardCharsets.US_ASCII));
                        fromClient.flush();
                    }
                    continue;
                }
                if (!inData && line.toUpperCase(Locale.ROOT).equals("DATA")) {
                    inData = true;
                } else if (inData && line.equals(".")) {
                    inData = false;
                }
                toServer.writeRaw(raw);
                toServer.flush();
            }
        } catch (IOException closed) {
            // fall through: close both sides
        }
        closeBoth(client, server);
    }

    private static void closeBoth(Socket client, Socket server) {
        try {
            client.close();
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        open = false;
        listener.close();
    }
}
