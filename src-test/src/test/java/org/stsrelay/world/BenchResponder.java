package org.stsrelay.world;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The sparring partner of {@link BenchClient}'s own warm-up: a loopback listener in the client's process that
 * answers the benchmark's fixed dialogue (greeting, EHLO, MAIL, RCPT, DATA, the content, QUIT) and keeps nothing.
 * Before it measures a server, the client sends it enough messages that the JIT has compiled the client's code,
 * so that no compilation of the generator's runs on the shared cores in a measured window. It is no SMTP server:
 * it answers each command by its verb alone, and finds the end of the content by the final dot (RFC 5321 §4.1.1.4).
 * One selector thread, like the client.
 */
final class BenchResponder implements AutoCloseable {

    private static final byte[] GREETING = reply("220 responder.bench.test");
    private static final byte[] OK = reply("250 ok");
    private static final byte[] GO_AHEAD = reply("354 go ahead");
    private static final byte[] BYE = reply("221 bye");
    private static final byte[] END_OF_CONTENT = {'\r', '\n', '.', '\r', '\n'};

    private final ServerSocketChannel listener;
    private final Selector selector;
    private Thread thread;
    private volatile boolean open = true;
    private long messages;

    private BenchResponder(ServerSocketChannel listener, Selector selector) {
        this.listener = listener;
        this.selector = selector;
    }

    /** Listens on a free loopback port and answers from its own thread until closed. */
    static BenchResponder start() throws IOException {
        Selector selector = Selector.open();
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        BenchResponder responder = new BenchResponder(listener, selector);
        responder.thread = Daemons.start("bench-responder", responder::serve);
        return responder;
    }

    InetSocketAddress address() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Messages answered with {@code 250} after their final dot; read after {@link #close()}. */
    long messages() {
        return messages;
    }

    private void serve() {
        try {
            while (open) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("bench-responder failed", e);
        }
    }

    private void handle(SelectionKey key) throws IOException {
        if (key.isAcceptable()) {
            SocketChannel channel = listener.accept();
            if (channel != null) {
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ, new Conversation());
                send(channel, GREETING);
            }
            return;
        }
        SocketChannel channel = (SocketChannel) key.channel();
        Conversation conversation = (Conversation) key.attachment();
        try {
            if (!conversation.answer(channel)) {
                channel.close();
            }
        } catch (IOException e) {
            // The client went away: the warm-up counts its own failures.
            channel.close();
        }
    }

    /** One connection: commands line by line, then the content until its final dot. */
    private final class Conversation {
        private final ByteBuffer in = ByteBuffer.allocate(4096);
        private final StringBuilder line = new StringBuilder();
        private boolean inContent;
        /** How much of CRLF "." CRLF the content has matched; the DATA line's own CRLF counts as the first. */
        private int matched;

        /** Reads what has arrived and answers it; false once the connection is to be closed. */
        boolean answer(SocketChannel channel) throws IOException {
            in.clear();
            if (channel.read(in) < 0) {
                return false;
            }
            in.flip();
            while (in.hasRemaining()) {
                byte b = in.get();
                if (inContent) {
                    content(channel, b);
                } else if (b == '\n') {
                    if (!command(channel)) {
                        return false;
                    }
                } else if (b != '\r') {
                    line.append((char) b);
                }
            }
            return true;
        }

        private void content(SocketChannel channel, byte b) throws IOException {
            matched = b == END_OF_CONTENT[matched] ? matched + 1 : b == '\r' ? 1 : 0;
            if (matched == END_OF_CONTENT.length) {
                inContent = false;
                messages++;
                send(channel, OK);
            }
        }

        private boolean command(SocketChannel channel) throws IOException {
            String verb = line.length() >= 4 ? line.substring(0, 4) : line.toString();
            line.setLength(0);
            if (verb.equalsIgnoreCase("QUIT")) {
                send(channel, BYE);
                return false;
            }
            if (verb.equalsIgnoreCase("DATA")) {
                inContent = true;
                matched = 2;
                send(channel, GO_AHEAD);
            } else {
                send(channel, OK);
            }
            return true;
        }
    }

    /** Replies are a few octets, which a fresh socket's send buffer always takes whole. */
    private static void send(SocketChannel channel, byte[] reply) throws IOException {
        channel.write(ByteBuffer.wrap(reply));
    }

    private static byte[] reply(String text) {
        return (text + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        if (!selector.isOpen()) {
            return;
        }
        open = false;
        selector.wakeup();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }
}
