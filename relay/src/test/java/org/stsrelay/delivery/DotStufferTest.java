package org.stsrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DotStufferTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                ".a\\r\\nb\\r\\n|1|..a\\r\\nb\\r\\n",
                "a\\r\\n.\\r\\n|1|a\\r\\n..\\r\\n",
                "a\\r\\n.b|1|a\\r\\n..b\\r\\n",
                "a\\r\\n.b|3|a\\r\\n..b\\r\\n",
                "no newline|4|no newline\\r\\n",
                "ends in cr\\r|2|ends in cr\\r\\n"
            })
    void rfc5321_4_5_2_leadingDotsDoubledAcrossChunks(String input, int chunk, String expected) {
        byte[] in = unescape(input).getBytes(StandardCharsets.US_ASCII);
        DotStuffer stuffer = new DotStuffer();
        StringBuilder out = new StringBuilder();
        for (int at = 0; at < in.length; at += chunk) {
            out.append(text(
                    stuffer.stuff(ByteBuffer.wrap(in, at, Math.min(chunk, in.length - at)), ByteBufAllocator.DEFAULT)));
        }
        out.append(text(stuffer.finish(ByteBufAllocator.DEFAULT)));
        assertThat(out.toString()).isEqualTo(unescape(expected));
    }

    @Test
    void rfc5321_4_5_2_anyContentInAnyChunksIsStuffedAsLineByLine() {
        Random random = new Random(8461);
        byte[] alphabet = ".\r\na b".getBytes(StandardCharsets.US_ASCII);
        for (int round = 0; round < 2000; round++) {
            byte[] in = new byte[random.nextInt(300)];
            for (int i = 0; i < in.length; i++) {
                in[i] = alphabet[random.nextInt(alphabet.length)];
            }
            DotStuffer stuffer = new DotStuffer();
            StringBuilder out = new StringBuilder();
            for (int at = 0; at < in.length; ) {
                int chunk = Math.min(1 + random.nextInt(64), in.length - at);
                out.append(text(stuffer.stuff(ByteBuffer.wrap(in, at, chunk), ByteBufAllocator.DEFAULT)));
                at += chunk;
            }
            out.append(text(stuffer.finish(ByteBufAllocator.DEFAULT)));
            assertThat(out.toString())
                    .as("round %d", round)
                    .isEqualTo(stuffedLineByLine(new String(in, StandardCharsets.US_ASCII)));
        }
    }

    /** The rule as written: a line (after LF, or the start) that begins with "." gets another; the end is CRLF. */
    private static String stuffedLineByLine(String content) {
        StringBuilder out = new StringBuilder();
        boolean lineStart = true;
        for (char c : content.toCharArray()) {
            if (lineStart && c == '.') {
                out.append('.');
            }
            out.append(c);
            lineStart = c == '\n';
        }
        if (!content.isEmpty() && !content.endsWith("\r\n")) {
            out.append(content.endsWith("\r") ? "\n" : "\r\n");
        }
        return out.toString();
    }

    private static String text(ByteBuf buf) {
        String s = buf.toString(StandardCharsets.US_ASCII);
        buf.release();
        return s;
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n");
    }
}
