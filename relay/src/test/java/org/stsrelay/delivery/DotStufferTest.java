package org.stsrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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

    private static String text(ByteBuf buf) {
        String s = buf.toString(StandardCharsets.US_ASCII);
        buf.release();
        return s;
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n");
    }
}
