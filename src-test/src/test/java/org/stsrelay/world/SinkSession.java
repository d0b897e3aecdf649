package org.stsrelay.world;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSocket;

/** One SMTP session of an {@link MxServer}: greeting → EHLO → [STARTTLS → EHLO] → (MAIL RCPT+ DATA)*. */
final class SinkSession {

    private final MxServer server;
    private final long number;
    private Socket socket;
    private SmtpLines lines;
    private Optional<String> tlsProtocol = Optional.empty();
    private Optional<String> sni = Optional.empty();
    private String sender;
    private final List<String> recipients = new ArrayList<>();

    SinkSession(MxServer server, Socket socket, long number) {
        this.server = server;
        this.socket = socket;
        this.number = number;
    }

    void run() {
        try (Socket ignored = socket) {
            socket.setTcpNoDelay(true);
            lines = new SmtpLines(socket);
            lines.write("220 " + server.host() + " ESMTP world sink");
            lines.flush();
            while (serve(lines.read())) {
                // SmtpLines.write flushes once the client's pipelined commands are all answered
            }
            lines.flush();
        } catch (IOException peerGone) {
            // The relay closed, timed out or refused our certificate: the session simply ends.
        } finally {
            closeQuietly();
        }
    }

    private boolean serve(String line) throws IOException {
        String verb = (line.length() >= 4 ? line.substring(0, 4) : line).toUpperCase(Locale.ROOT);
        switch (verb) {
            case "EHLO" -> ehlo();
            case "HELO" -> lines.write("250 " + server.host());
            case "STAR" -> startTls(line);
            case "MAIL" -> mail(line);
            case "RCPT" -> rcpt(line);
            case "DATA" -> data();
            case "RSET" -> reset("250 2.0.0 Ok");
            case "NOOP" -> lines.write("250 2.0.0 Ok");
            case "QUIT" -> {
                lines.write("221 2.0.0 Bye");
                return false;
            }
            default -> lines.write("502 5.5.2 Command not recognized");
        }
        return true;
    }

    private void ehlo() throws IOException {
        reset(null);
        List<String> keywords = new ArrayList<>(
                List.of(server.host(), "PIPELINING", "SIZE 104857600", "8BITMIME", "ENHANCEDSTATUSCODES"));
        if (server.options().startTls() && tlsProtocol.isEmpty()) {
            keywords.add("STARTTLS");
        }
        for (int i = 0; i < keywords.size(); i++) {
            lines.write("250" + (i == keywords.size() - 1 ? " " : "-") + keywords.get(i));
        }
    }

    private void startTls(String line) throws IOException {
        if (!line.equalsIgnoreCase("STARTTLS") || !server.options().startTls() || tlsProtocol.isPresent()) {
            lines.write("502 5.5.1 STARTTLS not offered");
            return;
        }
        lines.write("220 2.0.0 Ready to start TLS");
        lines.flush();
        SSLSocket secure = (SSLSocket) server.tls()
                .getSocketFactory()
                .createSocket(
                        socket,
                        ((InetSocketAddress) socket.getRemoteSocketAddress()).getHostString(),
                        socket.getPort(),
                        true);
        secure.setUseClientMode(false);
        long started = System.currentTimeMillis();
        secure.startHandshake();
        // a session created before this handshake began was resumed, not negotiated afresh
        server.handshakeCompleted(secure.getSession().getCreationTime() < started);
        tlsProtocol = Optional.of(secure.getSession().getProtocol());
        sni = requestedName(secure);
        socket = secure;
        lines = new SmtpLines(secure);
        reset(null);
    }

    private static Optional<String> requestedName(SSLSocket secure) {
        List<SNIServerName> names = ((ExtendedSSLSession) secure.getSession()).getRequestedServerNames();
        return names.stream()
                .filter(SNIHostName.class::isInstance)
                .map(name -> ((SNIHostName) name).getAsciiName())
                .findFirst();
    }

    private void mail(String line) throws IOException {
        if (sender != null) {
            lines.write("503 5.5.1 Nested MAIL");
            return;
        }
        sender = address(line.substring("MAIL FROM:".length()));
        lines.write("250 2.1.0 Ok");
    }

    private void rcpt(String line) throws IOException {
        if (sender == null) {
            lines.write("503 5.5.1 MAIL first");
            return;
        }
        String recipient = address(line.substring("RCPT TO:".length()));
        if (server.options().rejected().contains(recipient.toLowerCase(Locale.ROOT))) {
            lines.write("550 5.1.1 <" + recipient + ">: no such user here");
            return;
        }
        if (server.options().deferAll()) {
            server.deferred();
            lines.write("451 4.3.0 <" + recipient + ">: mailbox busy, try again later");
            return;
        }
        recipients.add(recipient);
        lines.write("250 2.1.5 Ok");
    }

    private void data() throws IOException {
        if (recipients.isEmpty()) {
            lines.write("554 5.5.1 No valid recipients");
            return;
        }
        lines.write("354 End data with <CR><LF>.<CR><LF>");
        lines.flush();
        ByteArrayOutputStream content = new ByteArrayOutputStream(16384);
        while (true) {
            byte[] raw = lines.readRaw();
            if (raw == null) {
                throw new IOException("connection closed in DATA");
            }
            if (isDot(raw)) {
                break;
            }
            // RFC 5321 §4.5.2: remove the leading dot the client added to lines that start with one.
            int from = raw[0] == '.' ? 1 : 0;
            content.write(raw, from, raw.length - from);
        }
        server.accepted(new ReceivedMessage(
                server.host(),
                server.address().getAddress().getHostAddress(),
                sender,
                recipients,
                content.toByteArray(),
                tlsProtocol,
                sni,
                number,
                Instant.now()));
        reset("250 2.0.0 Ok: queued");
    }

    private static boolean isDot(byte[] raw) {
        return (raw.length == 3 && raw[0] == '.' && raw[1] == '\r' && raw[2] == '\n')
                || (raw.length == 2 && raw[0] == '.' && raw[1] == '\n');
    }

    private void reset(String reply) throws IOException {
        sender = null;
        recipients.clear();
        if (reply != null) {
            lines.write(reply);
        }
    }

    private static String address(String argument) {
        String trimmed = argument.trim();
        int open = trimmed.indexOf('<');
        int close = trimmed.indexOf('>');
        return open >= 0 && close > open ? trimmed.substring(open + 1, close) : trimmed.split(" ")[0];
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed by the peer
        }
    }
}
