package org.stsrelay.delivery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.stsrelay.policy.fetch.TestCa;

/**
 * A small blocking SMTP server on a loopback address for delivery tests: chosen extensions, optional STARTTLS
 * with a given certificate, recipients to refuse; it records what arrived.
 */
final class TestMx implements AutoCloseable {

    /** One message as received, content unstuffed. */
    record Received(String from, List<String> to, String content, boolean overTls) {}

    final List<Received> messages = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger resets = new AtomicInteger();
    /** The server names (SNI, RFC 6066 §3) clients sent in their TLS handshakes. */
    final List<String> serverNames = new CopyOnWriteArrayList<>();

    private final ServerSocket socket;
    private final Optional<SSLContext> tls;
    private final Set<String> extensions;
    private final Set<String> refused;

    TestMx(String ip, int port, Optional<TestCa.Issued> certificate, Set<String> extensions, Set<String> refused)
            throws Exception {
        this.socket = new ServerSocket();
        this.socket.bind(new InetSocketAddress(InetAddress.getByName(ip), port));
        this.tls = certificate.isPresent() ? Optional.of(context(certificate.get())) : Optional.empty();
        this.extensions = extensions;
        this.refused = refused;
        Thread acceptor = new Thread(this::accept, "test-mx-" + ip);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private static SSLContext context(TestCa.Issued issued) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("mx", issued.key(), new char[0], issued.chain());
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                connections.incrementAndGet();
                Thread session = new Thread(() -> serve(client), "test-mx-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (Socket open = client) {
            new Session(open).run();
        } catch (IOException ignored) {
            // The client went away: nothing to record.
        }
    }

    /** One SMTP conversation; switches streams after STARTTLS. */
    private final class Session {
        private Socket current;
        private BufferedReader in;
        private OutputStream out;
        private boolean overTls;
        private String from;
        private List<String> to = new CopyOnWriteArrayList<>();

        Session(Socket socket) throws IOException {
            use(socket);
        }

        private void use(Socket socket) throws IOException {
            current = socket;
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            out = socket.getOutputStream();
        }

        void run() throws IOException {
            reply("220 mx.test ESMTP");
            for (String line; (line = in.readLine()) != null; ) {
                String verb = line.split(" ", 2)[0].toUpperCase();
                switch (verb) {
                    case "EHLO" -> ehlo();
                    case "HELO" -> reply("250 mx.test");
                    case "STARTTLS" -> startTls();
                    case "MAIL" -> {
                        from = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                        to = new CopyOnWriteArrayList<>();
                        reply("250 2.1.0 ok");
                    }
                    case "RCPT" -> rcpt(line.substring(line.indexOf('<') + 1, line.indexOf('>')));
                    case "DATA" -> data();
                    case "RSET" -> {
                        resets.incrementAndGet();
                        reply("250 2.0.0 ok");
                    }
                    case "QUIT" -> {
                        reply("221 2.0.0 bye");
                        return;
                    }
                    default -> reply("502 5.5.2 unknown");
                }
            }
        }

        private void ehlo() throws IOException {
            StringBuilder lines = new StringBuilder("250-mx.test hello");
            for (String extension : extensions) {
                if (!extension.equals("STARTTLS") || (tls.isPresent() && !overTls)) {
                    lines.append("\r\n250-").append(extension);
                }
            }
            reply(lines + "\r\n250 HELP");
        }

        private void startTls() throws IOException {
            reply("220 2.0.0 go ahead");
            SSLSocket secured = (SSLSocket)
                    tls.orElseThrow().getSocketFactory().createSocket(current, null, current.getPort(), true);
            secured.setUseClientMode(false);
            javax.net.ssl.SSLParameters parameters = secured.getSSLParameters();
            parameters.setSNIMatchers(List.of(
                    new javax.net.ssl.SNIMatcher(javax.net.ssl.StandardConstants.SNI_HOST_NAME) {
                        @Override
                        public boolean matches(javax.net.ssl.SNIServerName name) {
                            serverNames.add(new String(name.getEncoded(), StandardCharsets.US_ASCII));
                            return true;
                        }
                    }));
            secured.setSSLParameters(parameters);
            try {
                secured.startHandshake();
            } catch (IOException refusedByClient) {
                // The client may close after seeing a certificate it will not use.
                throw refusedByClient;
            }
            overTls = true;
            use(secured);
        }

        private void rcpt(String address) throws IOException {
            if (refused.contains(address)) {
                reply("550 5.1.1 no such user");
            } else {
                to.add(address);
                reply("250 2.1.5 ok");
            }
        }

        private void data() throws IOException {
            if (to.isEmpty()) {
                reply("554 5.5.1 no valid recipients");
                return;
            }
            reply("354 go ahead");
            StringBuilder content = new StringBuilder();
            for (String line; (line = in.readLine()) != null && !line.equals("."); ) {
                content.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
            }
            messages.add(new Received(from, List.copyOf(to), content.toString(), overTls));
            reply("250 2.0.0 queued as X1");
        }

        private void reply(String text) throws IOException {
            out.write((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
