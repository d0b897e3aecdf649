package org.stsrelay.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;

/**
 * Turns message content into DATA octets in chunks: a "." that starts a line is doubled (RFC 5321 §4.5.2),
 * and the content is made to end with CRLF so the terminating "." stands on its own line (§4.1.1.4).
 */
final class DotStuffer {

    private boolean atLineStart = true;
    private byte last;
    private byte beforeLast;
    private boolean empty = true;

    /** Stuffs one chunk of content, consuming {@code in}. */
    ByteBuf stuff(ByteBuffer in, ByteBufAllocator allocator) {
        ByteBuf out = allocator.buffer(in.remaining() + in.remaining() / 64 + 16);
        while (in.hasRemaining()) {
            byte b = in.get();
            if (atLineStart && b == '.') {
                out.writeByte('.');
            }
            out.writeByte(b);
            atLineStart = b == '\n';
            beforeLast = last;
            last = b;
            empty = false;
        }
        return out;
    }

    /** The octets needed after the last chunk so the content ends with CRLF; the codec adds ".CRLF" itself. */
    ByteBuf finish(ByteBufAllocator allocator) {
        ByteBuf out = allocator.buffer(2);
        if (empty || (beforeLast == '\r' && last == '\n')) {
            return out;
        }
        if (last == '\r') {
            out.writeByte('\n');
        } else {
            out.writeByte('\r').writeByte('\n');
        }
        return out;
    }
}
