package org.stsrelay.received;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits an mbox into its messages as it streams: a line starting with {@code "From "} begins a message, and a body
 * line escaped as {@code ">From "} (mboxrd: any number of {@code >}) loses one {@code >}. A message over the cap is
 * reported as too large and skipped without being held in memory.
 */
final class MboxReader {

    /** Receives each message in order, numbered from 1. */
    interface Sink {
        /** {@code message} is null when the message was over the cap. */
        void message(int number, byte[] message) throws IOException;
    }

    private static final byte[] FROM = "From ".getBytes(StandardCharsets.US_ASCII);

    private final long maxMessageSize;

    MboxReader(long maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    /** Whether {@code head}, the first bytes of a file, look like an mbox. */
    static boolean looksLikeMbox(byte[] head) {
        return startsWith(head, 0, FROM);
    }

    /** Reads every message of {@code mbox}, handing each to {@code sink}. */
    void read(InputStream mbox, Sink sink) throws IOException {
        InputStream in = new BufferedInputStream(mbox, 64 * 1024);
        ByteArrayOutputStream message = null;
        boolean tooLarge = false;
        int number = 0;
        LineReader lines = new LineReader(in, (int) Math.min(Integer.MAX_VALUE - 8, maxMessageSize + 1));
        for (byte[] line = lines.next(); line != null; line = lines.next()) {
            if (lines.whole() && startsWith(line, 0, FROM)) {
                if (number > 0) {
                    sink.message(number, tooLarge ? null : trimSeparator(message.toByteArray()));
                }
                number++;
                message = new ByteArrayOutputStream();
                tooLarge = false;
                continue;
            }
            if (message == null || tooLarge) {
                continue;
            }
            int skip = isEscapedFrom(line) ? 1 : 0;
            if (message.size() + line.length - skip > maxMessageSize || !lines.whole()) {
                tooLarge = true;
                message = new ByteArrayOutputStream();
                continue;
            }
            message.write(line, skip, line.length - skip);
        }
        if (number > 0) {
            sink.message(number, tooLarge ? null : trimSeparator(message.toByteArray()));
        }
    }

    /** mboxrd: {@code >From }, {@code >>From }, ... are body lines that began with one {@code >} fewer. */
    private static boolean isEscapedFrom(byte[] line) {
        int i = 0;
        while (i < line.length && line[i] == '>') {
            i++;
        }
        return i > 0 && startsWith(line, i, FROM);
    }

    /** The blank line before the next From_ line separates messages; it is not part of the message. */
    private static byte[] trimSeparator(byte[] message) {
        int end = message.length;
        if (end >= 2 && message[end - 1] == '\n' && message[end - 2] == '\n') {
            end--;
        } else if (end >= 4 && message[end - 1] == '\n' && message[end - 3] == '\n' && message[end - 2] == '\r') {
            end -= 2;
        }
        return Arrays.copyOf(message, end);
    }

    private static boolean startsWith(byte[] data, int at, byte[] prefix) {
        if (data.length - at < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Reads lines with their line end, each cut at a bound; {@link #whole()} tells whether the last was cut. */
    private static final class LineReader {
        private final InputStream in;
        private final int maxLine;
        private boolean whole = true;

        LineReader(InputStream in, int maxLine) {
            this.in = in;
            this.maxLine = maxLine;
        }

        byte[] next() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(128);
            int b;
            boolean cut = false;
            while ((b = in.read()) >= 0) {
                if (line.size() < maxLine) {
                    line.write(b);
                } else {
                    cut = true;
                }
                if (b == '\n') {
                    break;
                }
            }
            whole = !cut;
            return b < 0 && line.size() == 0 && !cut ? null : line.toByteArray();
        }

        boolean whole() {
            return whole;
        }
    }
}
