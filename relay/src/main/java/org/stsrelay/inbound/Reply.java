package org.stsrelay.inbound;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One SMTP reply: code, RFC 3463 enhanced status code and text lines.
 *
 * <p>The enhanced code is empty only where RFC 2034 §3 leaves it out: the greeting, the EHLO/HELO
 * reply and the 3xx intermediate replies.
 */
record Reply(int code, String enhanced, List<String> lines) {

    Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply needs a line");
        }
    }

    /** A one-line reply with an enhanced status code. */
    static Reply of(int code, String enhanced, String text) {
        return new Reply(code, enhanced, List.of(text));
    }

    /** A one-line reply without an enhanced status code (greeting, HELO, 3xx). */
    static Reply plain(int code, String text) {
        return new Reply(code, "", List.of(text));
    }

    /** The same code and enhanced code with the text followed by {@code detail}. */
    Reply with(String detail) {
        return new Reply(code, enhanced, List.of(lines.get(0) + detail));
    }

    /** Whether this is a permanent or transient failure reply. */
    boolean isError() {
        return code >= 400;
    }

    /** The reply as it goes on the wire, every line ending in CRLF. */
    byte[] toWire() {
        ByteBuf out = Unpooled.buffer();
        writeTo(out);
        return ByteBufUtil.getBytes(out);
    }

    /** Writes the reply as it goes on the wire into {@code out}, with no copy in between. */
    void writeTo(ByteBuf out) {
        for (int i = 0; i < lines.size(); i++) {
            out.writeByte('0' + code / 100).writeByte('0' + code / 10 % 10).writeByte('0' + code % 10);
            out.writeByte(i == lines.size() - 1 ? ' ' : '-');
            if (!enhanced.isEmpty()) {
                ByteBufUtil.writeAscii(out, enhanced);
                out.writeByte(' ');
            }
            ByteBufUtil.writeUtf8(out, lines.get(i));
            out.writeByte('\r').writeByte('\n');
        }
    }

    @Override
    public String toString() {
        return new String(toWire(), StandardCharsets.UTF_8).trim();
    }
}
