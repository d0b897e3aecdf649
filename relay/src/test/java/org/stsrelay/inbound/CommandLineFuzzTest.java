package org.stsrelay.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The SMTP command-line parser (framer and {@link Command}) over arbitrary bytes. Input: one octet
 * choosing the chunk size, then the byte stream a client sends.
 */
class CommandLineFuzzTest {

    /** RFC 5321 §4.5.3.1.4 and §2.4: lines stay within 512 octets, framing does not depend on how the bytes arrive. */
    @FuzzTest(maxDuration = "10s")
    void commandLinesAreBoundedAndIndependentOfChunking(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int chunk = (input[0] & 0x3f) + 1;
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);

        List<Frame> whole = frames(stream, stream.length + 1);
        List<Frame> chunked = frames(stream, chunk);
        assertThat(chunked).isEqualTo(whole);

        int lineFeeds = (int) countLineFeeds(stream);
        assertThat(whole.size()).isLessThanOrEqualTo(lineFeeds + 1);
        for (Frame frame : whole) {
            if (frame instanceof Frame.CommandLine line) {
                checkLine(line.text());
            }
        }
    }

    private static void checkLine(String text) {
        assertThat(text).doesNotContain("\n");
        // Each octet decodes to at most one char (invalid UTF-8 becomes one U+FFFD per octet).
        assertThat(text.length()).isLessThan(SmtpFramer.MAX_COMMAND_LINE);
        Command command = Command.parse(text);
        assertThat(command.verb()).isNotNull();
        assertThat(command.argument()).isEqualTo(command.argument().strip());
        int space = text.indexOf(' ');
        String word = space < 0 ? text : text.substring(0, space);
        if (command.verb() != Command.Verb.UNKNOWN) {
            // RFC 5321 §2.4: verbs are ASCII and case-insensitive, nothing else names one.
            assertThat(Mailbox.isAscii(word)).as("verb of %s", text).isTrue();
            assertThat(word.toUpperCase(Locale.ROOT)).isEqualTo(command.verb().name());
        }
        if (Command.isClean(text)) {
            assertThat(text.chars()).allMatch(c -> c >= 0x20 && c != 0x7f && c != 0xfffd);
        }
    }

    /** Feeds {@code stream} in chunks of {@code size} octets and returns the frames, checking nothing leaks. */
    private static List<Frame> frames(byte[] stream, int size) {
        SmtpFramer framer = new SmtpFramer(new DataDecoder(1000, 1_000_000, 100));
        EmbeddedChannel channel = new EmbeddedChannel(framer);
        List<ByteBuf> written = new ArrayList<>();
        List<Frame> frames = new ArrayList<>();
        for (int from = 0; from < stream.length; from += size) {
            ByteBuf buf = Unpooled.copiedBuffer(stream, from, Math.min(size, stream.length - from));
            written.add(buf);
            channel.writeInbound(buf);
            for (Object message; (message = channel.readInbound()) != null; ) {
                assertThat(message).isInstanceOf(Frame.class);
                frames.add((Frame) message);
            }
        }
        // A partial line still buffered is never more than one command line's worth.
        assertThat(framer.buffered()).isLessThan(SmtpFramer.MAX_COMMAND_LINE);
        channel.finishAndReleaseAll();
        assertThat(written).allMatch(buf -> buf.refCnt() == 0);
        return frames;
    }

    private static long countLineFeeds(byte[] stream) {
        long count = 0;
        for (byte b : stream) {
            if (b == '\n') {
                count++;
            }
        }
        return count;
    }
}
