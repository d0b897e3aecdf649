package org.stsrelay.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
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

    /**
     * Stuffs one chunk of content, consuming {@code in}. It finds each line end with {@link ByteBuf#indexOf}, which
     * scans eight octets at a time, and copies the lines between two that need a dot in one piece.
     */
    ByteBuf stuff(ByteBuffer in, ByteBufAllocator allocator) {
        int length = in.remaining();
        ByteBuf out = allocator.buffer(length + length / 64 + 16);
        if (length == 0) {
            return out;
        }
        ByteBuf src = Unpooled.wrappedBuffer(in);
        int end = src.writerIndex();
        int copied = src.readerIndex();
        int line = copied;
        boolean lineStart = atLineStart;
        while (line < end) {
            if (lineStart && src.getByte(line) == '.') {
                out.writeBytes(src, copied, line - copied).writeByte('.');
                copied = line;
            }
            int lf = src.indexOf(line, end, (byte) '\n');
            lineStart = lf >= 0;
            line = lf < 0 ? end : lf + 1;
        }
        out.writeBytes(src, copied, end - copied);
        atLineStart = lineStart;
        beforeLast = length > 1 ? src.getByte(end - 2) : last;
        last = src.getByte(end - 1);
        empty = false;
        in.position(in.limit());
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
