package org.stsrelay.inbound;

import io.netty.buffer.ByteBuf;

/**
 * Finds the next octet of DATA content that the decoder must look at, CR, LF or NUL (RFC 5321
 * §2.3.8, §4.1.1.4), eight octets at a time: content is mostly ordinary text, and a test per octet
 * through a {@link io.netty.util.ByteProcessor} was the largest single item of the accept path.
 */
final class LineBreakScan {

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long CRS = ONES * '\r';
    private static final long LFS = ONES * '\n';

    private LineBreakScan() {}

    /** The index of the first CR, LF or NUL in {@code in} from {@code from} up to {@code to}, or -1. */
    static int first(ByteBuf in, int from, int to) {
        int i = from;
        for (; to - i >= Long.BYTES; i += Long.BYTES) {
            long word = in.getLongLE(i);
            long found = zeroOctets(word) | zeroOctets(word ^ CRS) | zeroOctets(word ^ LFS);
            if (found != 0) {
                // Octet k of the word is in[i + k]; a match sets bit 8k + 7.
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            byte b = in.getByte(i);
            if (b == '\r' || b == '\n' || b == 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Sets the high bit of each zero octet of {@code x}. An octet above a zero octet may be marked
     * too (the subtraction borrows), never one below it, so the lowest mark is always exact.
     */
    private static long zeroOctets(long x) {
        return (x - ONES) & ~x & HIGHS;
    }
}
