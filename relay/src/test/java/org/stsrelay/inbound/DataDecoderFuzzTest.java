package org.stsrelay.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The DATA decoder behind the framer, over arbitrary content in arbitrary chunks, against a plain
 * byte-by-byte reading of RFC 5321 §4.1.1.4 and §4.5.2. Input: four octets (chunk size, line limit,
 * size limit, Received limit), then the bytes a client sends after DATA.
 */
class DataDecoderFuzzTest {

    private static final int CONTROL = 4;

    /** RFC 5321 §4.5.2 and §2.3.8: the end marker, dot-unstuffing and bare CR/LF/NUL rejection hold in any chunking. */
    @FuzzTest(maxDuration = "10s")
    void decoderMatchesTheRfcReadingInAnyChunking(byte[] input) {
        if (input.length < CONTROL) {
            return;
        }
        Limits limits = new Limits((input[1] & 0xff) * 4 + 1, (input[2] & 0xff) * 64L, input[3] & 7);
        byte[] stream = Arrays.copyOfRange(input, CONTROL, input.length);
        Reading expected = Reading.of(stream);

        Decoded whole = decode(stream, stream.length + 1, limits);
        Decoded chunked = decode(stream, (input[0] & 0x3f) + 1, limits);

        assertThat(chunked.end()).isEqualTo(whole.end()).isEqualTo(expected.end());
        if (expected.end() < 0) {
            return;
        }
        assertThat(chunked.problem() == DataProblem.NONE).isEqualTo(whole.problem() == DataProblem.NONE);
        boolean violates = expected.violates(limits);
        assertThat(whole.problem() != DataProblem.NONE)
                .as("problem %s", whole.problem())
                .isEqualTo(violates);
        if (!violates) {
            assertThat(whole.content()).isEqualTo(expected.content());
            assertThat(chunked.content()).isEqualTo(expected.content());
        }
    }

    private record Limits(int maxLineLength, long maxMessageSize, int maxReceived) {}

    /** What the framer produced: content, the first problem and the offset just past the end marker (-1: none). */
    private record Decoded(byte[] content, DataProblem problem, int end) {}

    private static Decoded decode(byte[] stream, int chunk, Limits limits) {
        SmtpFramer framer =
                new SmtpFramer(new DataDecoder(limits.maxLineLength(), limits.maxMessageSize(), limits.maxReceived()));
        EmbeddedChannel channel = new EmbeddedChannel(framer);
        framer.startData();
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        List<ByteBuf> written = new ArrayList<>();
        DataProblem problem = null;
        for (int from = 0; from < stream.length; from += chunk) {
            ByteBuf buf = Unpooled.copiedBuffer(stream, from, Math.min(chunk, stream.length - from));
            written.add(buf);
            channel.writeInbound(buf);
            for (Object message; (message = channel.readInbound()) != null; ) {
                if (message instanceof ByteBuf slice) {
                    assertThat(problem).as("content after the end marker").isNull();
                    byte[] bytes = new byte[slice.readableBytes()];
                    slice.readBytes(bytes).release();
                    content.writeBytes(bytes);
                } else {
                    assertThat(problem).as("a second end marker while paused").isNull();
                    problem = ((Frame.EndOfData) message).problem();
                }
            }
        }
        // After the end marker the framer is paused and keeps exactly the bytes pipelined behind it.
        int end = problem == null ? -1 : stream.length - framer.buffered();
        if (problem == null) {
            assertThat(framer.buffered()).isZero();
        }
        channel.finishAndReleaseAll();
        assertThat(written).allMatch(buf -> buf.refCnt() == 0);
        return new Decoded(content.toByteArray(), problem, end);
    }

    /**
     * The content as RFC 5321 reads it: lines end in CRLF; at the start of a line ".CRLF" ends the
     * content and any other leading "." is removed.
     */
    private record Reading(byte[] content, int end) {

        static Reading of(byte[] stream) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            boolean lineStart = true;
            for (int i = 0; i < stream.length; i++) {
                byte b = stream[i];
                if (lineStart && b == '.') {
                    if (i + 2 < stream.length && stream[i + 1] == '\r' && stream[i + 2] == '\n') {
                        return new Reading(out.toByteArray(), i + 3);
                    }
                    lineStart = false;
                    continue;
                }
                out.write(b);
                lineStart = b == '\n' && i > 0 && stream[i - 1] == '\r';
            }
            return new Reading(out.toByteArray(), -1);
        }

        /** Whether the content breaks a rule the decoder enforces: bare CR/LF, NUL, a limit. */
        boolean violates(Limits limits) {
            if (content.length > limits.maxMessageSize()) {
                return true;
            }
            int received = 0;
            boolean headers = true;
            int lineStart = 0;
            for (int i = 0; i < content.length; i++) {
                byte b = content[i];
                boolean crlf = b == '\r' && i + 1 < content.length && content[i + 1] == '\n';
                if (b == 0 || (b == '\r' && !crlf) || (b == '\n' && (i == 0 || content[i - 1] != '\r'))) {
                    return true;
                }
                if (crlf) {
                    String line = new String(content, lineStart, i - lineStart, StandardCharsets.ISO_8859_1);
                    if (line.length() > limits.maxLineLength()) {
                        return true;
                    }
                    headers = headers && !line.isEmpty();
                    if (headers && line.toLowerCase(Locale.ROOT).startsWith("received:")) {
                        received++;
                    }
                    lineStart = i + 2;
                    i++;
                }
            }
            return received > limits.maxReceived();
        }
    }
}
