package org.stsrelay.world;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.stsrelay.policy.fetch.TestCa;

/**
 * An MX of the world: a blocking SMTP sink on its own loopback address, one thread per connection
 * (simple and robust; a few hundred sessions are its whole load). It records every message it
 * accepts and counts connections and TLS handshakes, so tests see what the relay did on the wire.
 */
public final class MxServer implements AutoCloseable {

    private final String host;
    private final MxOptions options;
    private final SSLContext tls;
    private final X509Certificate[] chain;
    private final ServerSocket listener;
    private final ExecutorService sessions = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "world-mx-session");
        thread.setDaemon(true);
        return thread;
    });
    private final List<ReceivedMessage> received = new ArrayList<>();
    private final Consumer<ReceivedMessage> observer;
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong handshakes = new AtomicLong();
    private final AtomicLong resumptions = new AtomicLong();
    private final AtomicLong deferrals = new AtomicLong();
    private volatile boolean open = true;

    private MxServer(
            String host,
            MxOptions options,
            SSLContext tls,
            X509Certificate[] chain,
            ServerSocket listener,
            Consumer<ReceivedMessage> observer) {
        this.host = host;
        this.options = options;
        this.tls = tls;
        this.chain = chain;
        this.listener = listener;
        this.observer = observer;
    }

    /**
     * Starts an MX named {@code host} on {@code address}; every message it accepts also goes to
     * {@code observer} (the world's log of everything delivered anywhere).
     */
    public static MxServer start(
            String host,
            InetSocketAddress address,
            MxOptions options,
            WorldCertificates certificates,
            Consumer<ReceivedMessage> observer) {
        TestCa.Issued identity = certificates.issue(host, options.certificate());
        SSLContext tls = WorldCertificates.serverContext(identity);
        try {
            ServerSocket listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(address, 512);
            MxServer server = new MxServer(host, options, tls, identity.chain(), listener, observer);
            Daemons.start("world-mx-accept-" + host, server::acceptLoop);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + " for " + host, e);
        }
    }

    /** The end-entity certificate it presents in TLS, e.g. to publish a TLSA record of its key. */
    public X509Certificate certificate() {
        return chain[0];
    }

    /** The certificate chain this MX presents, leaf first. */
    public X509Certificate[] chain() {
        return chain.clone();
    }

    /** The host name this MX serves as. */
    public String host() {
        return host;
    }

    /** The address it listens on. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** Every message accepted so far, in order. */
    public synchronized List<ReceivedMessage> received() {
        return List.copyOf(received);
    }

    /** TCP connections accepted so far. */
    public long connections() {
        return connections.get();
    }

    /** TLS handshakes completed so far. */
    public long handshakes() {
        return handshakes.get();
    }

    /** TLS handshakes that resumed an earlier session (abbreviated, no certificate sent). */
    public long resumptions() {
        return resumptions.get();
    }

    /** RCPT commands answered with a 4xx because the MX defers everything ({@link MxOptions#deferring()}). */
    public long deferrals() {
        return deferrals.get();
    }

    MxOptions options() {
        return options;
    }

    SSLContext tls() {
        return tls;
    }

    void handshakeCompleted(boolean resumed) {
        handshakes.incrementAndGet();
        if (resumed) {
            resumptions.incrementAndGet();
        }
    }

    void deferred() {
        deferrals.incrementAndGet();
    }

    void accepted(ReceivedMessage message) {
        if (options.retain()) {
            synchronized (this) {
                received.add(message);
            }
        }
        observer.accept(message);
    }

    private void acceptLoop() {
        while (open) {
            try {
                Socket socket = listener.accept();
                long number = connections.incrementAndGet();
                sessions.execute(() -> new SinkSession(this, socket, number).run());
            } catch (IOException e) {
                if (!open) {
                    return;
                }
            }
        }
    }

    /** The address as an InetAddress, for A records. */
    public InetAddress inetAddress() {
        return address().getAddress();
    }

    @Override
    public void close() throws IOException {
        open = false;
        listener.close();
        sessions.shutdownNow();
    }
}
