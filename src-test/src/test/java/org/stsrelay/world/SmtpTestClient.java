package org.stsrelay.world;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small blocking SMTP client for tests: one command, one reply, in lock-step (no pipelining),
 * so a test knows exactly which command a failure belongs to. Commands are written as UTF-8,
 * which SMTPUTF8 (RFC 6531) addresses need.
 */
public final class SmtpTestClient implements AutoCloseable {

    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern QUEUED = Pattern.compile("2\\.0\\.0 Ok: queued as ([0-9A-Z]{16})");
    private static final byte[] CRLF = {'\r', '\n'};

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final SmtpReply greeting;

    private SmtpTestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 8192);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 65536);
        this.greeting = readReply();
    }

    /** Connects and reads the greeting (which may be a refusal; see {@link #greeting()}). */
    public static SmtpTestClient connect(InetSocketAddress server) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(server, (int) SOCKET_TIMEOUT.toMillis());
            socket.setSoTimeout((int) SOCKET_TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            return new SmtpTestClient(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** The server's greeting. */
    public SmtpReply greeting() {
        return greeting;
    }

    /** Sends one command line (without CRLF) and returns the reply. */
    public SmtpReply command(String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write(CRLF);
        out.flush();
        return readReply();
    }

    /** EHLO, requiring 250. */
    public SmtpReply ehlo(String domain) throws IOException {
        return expect("EHLO " + domain, 250);
    }

    /**
     * A whole transaction on this connection: MAIL, RCPT for each recipient, DATA, content.
     * Returns the queue id from the final {@code 250 2.0.0 Ok: queued as ID}.
     */
    public String send(String mailFromLine, List<String> rcptLines, byte[] content) throws IOException {
        beginData(mailFromLine, rcptLines);
        writeContent(content);
        return queueId(readReply());
    }

    /** MAIL, each RCPT, DATA; returns at the 354 and throws SmtpReplyException on any other reply. */
    public void beginData(String mailFromLine, List<String> rcptLines) throws IOException {
        expect(mailFromLine, 250);
        for (String rcpt : rcptLines) {
            expect(rcpt, 250);
        }
        expect("DATA", 354);
    }

    /**
     * Writes message content (CRLF line ends, ending in CRLF) dot-stuffed (RFC 5321 §4.5.2),
     * then the terminating ".CRLF", and flushes. When this returns, the whole message, dot
     * included, has been handed to the kernel; when it throws, the terminator did not completely
     * reach the kernel, so the server cannot have received a complete message.
     */
    public void writeContent(byte[] content) throws IOException {
        if (content.length < 2 || content[content.length - 2] != '\r' || content[content.length - 1] != '\n') {
            throw new IllegalArgumentException("content must end with CRLF");
        }
        int lineStart = 0;
        for (int i = 0; i < content.length; i++) {
            if (i == lineStart && content[i] == '.') {
                out.write('.');
            }
            if (content[i] == '\n') {
                out.write(content, lineStart, i + 1 - lineStart);
                lineStart = i + 1;
            }
        }
        out.write(new byte[] {'.', '\r', '\n'});
        out.flush();
    }

    /** Reads one possibly multi-line reply. */
    public SmtpReply readReply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line.length() < 3 || (line.length() > 3 && line.charAt(3) != '-' && line.charAt(3) != ' ')) {
                throw new IOException("not an SMTP reply line: " + line);
            }
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new SmtpReply(Integer.parseInt(line.substring(0, 3)), lines);
            }
        }
    }

    /** The queue id in a final DATA reply; throws SmtpReplyException unless it is the contract's 250. */
    public static String queueId(SmtpReply reply) throws SmtpReplyException {
        Matcher matcher = QUEUED.matcher(reply.last());
        if (reply.code() != 250 || !matcher.matches()) {
            throw new SmtpReplyException("end of DATA", reply);
        }
        return matcher.group(1);
    }

    /** QUIT, then close; a failing QUIT still closes. */
    public void quit() throws IOException {
        try {
            command("QUIT");
        } finally {
            close();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private SmtpReply expect(String command, int code) throws IOException {
        SmtpReply reply = command(command);
        if (reply.code() != code) {
            throw new SmtpReplyException(command, reply);
        }
        return reply;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (b == '\n' && previous == '\r') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            previous = b;
        }
    }
}
