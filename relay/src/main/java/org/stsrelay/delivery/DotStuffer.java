package org.stsrelay.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ByteProcessor;
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

    /** Stuffs one chunk of content, consuming {@code in}; copies whole lines at a time, not byte by byte. */
    ByteBuf stuff(ByteBuffer in, ByteBufAllocator allocator) {
        int length = in.remaining();
        ByteBuf out = allocator.buffer(length + length / 64 + 16);
        if (length == 0) {
            return out;
        }
        ByteBuf src = Unpooled.wrappedBuffer(in);
        int end = src.writerIndex();
        int line = src.readerIndex();
        while (line < end) {
            if (atLineStart && src.getByte(line) == '.') {
                out.writeByte('.');
            }
            int lf = src.forEachByte(line, end - line, ByteProcessor.FIND_LF);
            int next = lf < 0 ? end : lf + 1;
            out.writeBytes(src, line, next - line);
            atLineStart = lf >= 0;
            line = next;
        }
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
