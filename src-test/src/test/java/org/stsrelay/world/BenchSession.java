package org.stsrelay.world;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One session of {@link BenchClient}: sends one message at a time, each on a new non-blocking connection, in
 * lock-step (greeting, EHLO, MAIL, RCPT, DATA, the content, QUIT), driven by the client's one selector thread.
 * The steps are what {@code smtp-source} does; the replies are read into one buffer kept from message to message.
 */
final class BenchSession {

    /** What each step waits for, and its name in a failure. */
    private static final int[] CODES = {220, 250, 250, 250, 354, 250, 221};

    private static final String[] NAMES = {"connect", "EHLO", "MAIL", "RCPT", "DATA", "end of DATA", "QUIT"};
    /** The step whose reply ends the timed part of a message: the one after the final dot. */
    private static final int END_OF_DATA = 5;

    /** What the session sends after each step's reply: sends[k] follows the reply of step k. */
    private final byte[][] sends;

    private final ByteBuffer replies = ByteBuffer.allocate(8192);
    private SocketChannel channel;
    private SelectionKey key;
    private ByteBuffer pending;
    private int step;
    private int index = -1;
    private long begin;
    private long dot;
    private long deadline;

    BenchSession(byte[][] sends) {
        this.sends = sends;
    }

    /** Whether a message is under way. */
    boolean busy() {
        return index >= 0;
    }

    int index() {
        return index;
    }

    long deadline() {
        return deadline;
    }

    /**
     * Starts message {@code index}: opens a connection to {@code target}. Its latency counts from {@code begin}
     * ({@link System#nanoTime()}): now, or earlier when the message was due before a session was free.
     */
    void start(Selector selector, InetSocketAddress target, int index, long begin, long timeoutNanos)
            throws IOException {
        this.index = index;
        this.step = 0;
        this.begin = begin;
        this.deadline = System.nanoTime() + timeoutNanos;
        replies.clear();
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        boolean connected = channel.connect(target);
        key = channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this);
    }

    /**
     * Handles what the selector reported. Returns the timing of the message once its {@code 250} after DATA has
     * come ({@code long[] {total, afterData}}), else null; throws when the message failed.
     */
    long[] ready(long timeoutNanos) throws IOException {
        if (key.isConnectable()) {
            channel.finishConnect();
            key.interestOps(SelectionKey.OP_READ);
            return null;
        }
        if (key.isWritable()) {
            write();
            return null;
        }
        return key.isReadable() ? read(timeoutNanos) : null;
    }

    private long[] read(long timeoutNanos) throws IOException {
        if (channel.read(replies) < 0) {
            throw new EOFException("connection closed by the server after " + NAMES[step]);
        }
        int end = replyEnd();
        if (end < 0) {
            if (!replies.hasRemaining()) {
                throw new IOException("reply after " + NAMES[step] + " longer than " + replies.capacity() + " octets");
            }
            return null;
        }
        check(end);
        replies.clear();
        long now = System.nanoTime();
        deadline = now + timeoutNanos;
        if (step == CODES.length - 1) {
            finish();
            return null;
        }
        long[] timing = step == END_OF_DATA ? new long[] {now - begin, now - dot} : null;
        pending = ByteBuffer.wrap(sends[step]);
        if (step == END_OF_DATA - 1) {
            dot = now;
        }
        step++;
        write();
        return timing;
    }

    /** Where the last line of a complete reply starts, or -1 while the reply is incomplete (RFC 5321 §4.2.1). */
    private int replyEnd() {
        byte[] buffer = replies.array();
        int lineStart = 0;
        for (int i = 0; i < replies.position(); i++) {
            if (buffer[i] == '\n') {
                if (i - lineStart < 4 || buffer[lineStart + 3] != '-') {
                    return lineStart;
                }
                lineStart = i + 1;
            }
        }
        return -1;
    }

    private void check(int lastLine) throws SmtpReplyException {
        byte[] buffer = replies.array();
        int lineEnd = lastLine;
        while (buffer[lineEnd] != '\n') {
            lineEnd++;
        }
        int got = lineEnd - lastLine >= 3
                ? (buffer[lastLine] - '0') * 100 + (buffer[lastLine + 1] - '0') * 10 + (buffer[lastLine + 2] - '0')
                : -1;
        if (got != CODES[step]) {
            int text = Math.min(lastLine + 4, lineEnd);
            String words = new String(buffer, text, lineEnd - text, StandardCharsets.US_ASCII).strip();
            throw new SmtpReplyException(NAMES[step], new SmtpReply(got, List.of(words)));
        }
    }

    private void write() throws IOException {
        channel.write(pending);
        key.interestOps(pending.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    /** Ends the message under way, whether it succeeded or not: closes its connection. */
    void finish() {
        index = -1;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing a connection we are done with; nothing more to learn from it
            }
            channel = null;
            key = null;
        }
    }
}
