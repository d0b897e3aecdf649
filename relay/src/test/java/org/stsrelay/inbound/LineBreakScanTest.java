package org.stsrelay.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LineBreakScanTest {

    /** Octets next to the ones searched for, and those a borrow between octets could turn into them. */
    private static final byte[] PALETTE = {
        '\r',
        '\n',
        0,
        1,
        9,
        11,
        12,
        14,
        '.',
        'a',
        ' ',
        (byte) 0x80,
        (byte) 0x81,
        (byte) 0x8a,
        (byte) 0x8d,
        (byte) 0xff,
        (byte) 0x0e,
        (byte) 0x0b
    };

    @Test
    @DisplayName("RFC 5321 §2.3.8, §4.1.1.4: the first CR, LF or NUL of any range is found, at any offset and length")
    void findsTheFirstSpecialOctetOfAnyRange() {
        Random random = new Random(8461);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(40)];
            int density = 1 + random.nextInt(12);
            for (int k = 0; k < bytes.length; k++) {
                bytes[k] = random.nextInt(density) == 0
                        ? PALETTE[random.nextInt(3)]
                        : PALETTE[3 + random.nextInt(PALETTE.length - 3)];
            }
            ByteBuf in = random.nextBoolean() ? Unpooled.wrappedBuffer(bytes) : Unpooled.directBuffer(64);
            if (in.isDirect()) {
                in.writeBytes(bytes);
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
            int to = from + random.nextInt(bytes.length - from + 1);
            assertThat(LineBreakScan.first(in, from, to)).isEqualTo(octetByOctet(bytes, from, to));
            in.release();
        }
    }

    @Test
    @DisplayName("an octet above a match that the word test also marks does not hide the match below it")
    void aMatchBelowABorrowedMarkIsTheOneFound() {
        // 0x00 followed by 0x01: the subtraction borrows from the 0x01 octet and marks it too.
        byte[] bytes = {'a', 'b', 'c', 0, 1, '\r', 'x', 'y', 'z'};
        assertThat(LineBreakScan.first(Unpooled.wrappedBuffer(bytes), 0, bytes.length))
                .isEqualTo(3);
        byte[] none = "ordinary text without a break".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(LineBreakScan.first(Unpooled.wrappedBuffer(none), 0, none.length))
                .isEqualTo(-1);
    }

    private static int octetByOctet(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\r' || bytes[i] == '\n' || bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
