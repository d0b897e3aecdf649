package org.stsrelay.inbound;

import io.netty.buffer.ByteBuf;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The DATA content state machine (RFC 5321 §4.1.1.4, §4.5.2): finds {@code <CRLF>.<CRLF>}, removes
 * stuffed dots, and notes bare CR, bare LF, NUL, over-long lines, oversize content and mail loops.
 *
 * <p>Content is handed on as slices of the input, never copied or held back; once a problem is found
 * the rest of the content is scanned for the end marker and dropped.
 */
final class DataDecoder {

    private static final byte[] RECEIVED = "received:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private enum State {
        LINE_START,
        TEXT,
        CR,
        DOT,
        DOT_CR
    }

    private enum Step {
        KEEP,
        DROP,
        END
    }

    private final int maxLineLength;
    private final long maxMessageSize;
    private final int maxReceived;

    private State state;
    private DataProblem problem;
    private long size;
    private int lineLength;
    private int receivedMatch;
    private int receivedCount;
    private boolean inHeaders;

    DataDecoder(int maxLineLength, long maxMessageSize, int maxReceived) {
        this.maxLineLength = maxLineLength;
        this.maxMessageSize = maxMessageSize;
        this.maxReceived = maxReceived;
        reset();
    }

    /** Prepares for a new message; the DATA command's CRLF has just been read, so a line starts. */
    void reset() {
        state = State.LINE_START;
        problem = DataProblem.NONE;
        size = 0;
        lineLength = 0;
        receivedMatch = 0;
        receivedCount = 0;
        inHeaders = true;
    }

    /**
     * Consumes bytes of {@code in}, passing content slices to {@code sink}; returns the end marker when
     * the terminating {@code .<CRLF>} was consumed, or null when more input is needed or {@code paused}
     * turned true (the reader index then marks where to continue).
     */
    Frame.EndOfData decode(ByteBuf in, Consumer<ByteBuf> sink, BooleanSupplier paused) {
        int end = in.writerIndex();
        int segment = in.readerIndex();
        for (int i = in.readerIndex(); i < end; i++) {
            if (state == State.TEXT && !matchingReceived()) {
                // The bulk of a message: skip ordinary bytes in one scan instead of one step each.
                int stop = LineBreakScan.first(in, i, end);
                lineLength += (stop < 0 ? end : stop) - i;
                if (lineLength > maxLineLength) {
                    problem(DataProblem.LINE_TOO_LONG);
                }
                if (stop < 0) {
                    break;
                }
                i = stop;
            }
            Step step = step(in.getByte(i));
            if (step == Step.KEEP) {
                continue;
            }
            emit(in, segment, i, sink);
            segment = i + 1;
            in.readerIndex(segment);
            if (step == Step.END) {
                Frame.EndOfData marker = new Frame.EndOfData(problem);
                reset();
                return marker;
            }
            if (paused.getAsBoolean()) {
                return null;
            }
        }
        emit(in, segment, end, sink);
        in.readerIndex(end);
        return null;
    }

    private void emit(ByteBuf in, int from, int to, Consumer<ByteBuf> sink) {
        if (to <= from || problem != DataProblem.NONE) {
            return;
        }
        size += to - from;
        if (size > maxMessageSize) {
            problem(DataProblem.TOO_BIG);
            return;
        }
        sink.accept(in.retainedSlice(from, to - from));
    }

    private Step step(byte b) {
        if (b == 0) {
            problem(DataProblem.NUL);
        }
        switch (state) {
            case LINE_START:
                if (b == '.') {
                    // RFC 5321 §4.5.2: a leading dot is either the terminator or a stuffed dot; both go.
                    state = State.DOT;
                    return Step.DROP;
                }
                return text(b);
            case CR:
                if (b == '\n') {
                    endOfLine();
                    return Step.KEEP;
                }
                problem(DataProblem.BARE_CR);
                return text(b);
            case DOT:
                if (b == '\r') {
                    state = State.DOT_CR;
                    return Step.DROP;
                }
                return text(b);
            case DOT_CR:
                if (b == '\n') {
                    return Step.END;
                }
                problem(DataProblem.BARE_CR);
                return text(b);
            default:
                return text(b);
        }
    }

    private Step text(byte b) {
        if (b == '\r') {
            state = State.CR;
            return Step.KEEP;
        }
        state = State.TEXT;
        if (b == '\n') {
            // Only CRLF starts a new line, so "<LF>.<LF>" can never look like the end of DATA.
            problem(DataProblem.BARE_LF);
            return Step.KEEP;
        }
        countReceived(b);
        if (++lineLength > maxLineLength) {
            problem(DataProblem.LINE_TOO_LONG);
        }
        return Step.KEEP;
    }

    private void endOfLine() {
        if (lineLength == 0) {
            inHeaders = false;
        }
        lineLength = 0;
        receivedMatch = 0;
        state = State.LINE_START;
    }

    /** Whether this line may still turn out to be a Received: header field, so each byte counts. */
    private boolean matchingReceived() {
        return inHeaders && receivedMatch == lineLength && lineLength < RECEIVED.length;
    }

    private void countReceived(byte b) {
        if (!matchingReceived()) {
            return;
        }
        if (Character.toLowerCase((char) (b & 0xff)) != RECEIVED[lineLength]) {
            return;
        }
        receivedMatch++;
        if (receivedMatch == RECEIVED.length && ++receivedCount > maxReceived) {
            problem(DataProblem.LOOP);
        }
    }

    private void problem(DataProblem found) {
        if (problem == DataProblem.NONE) {
            problem = found;
        }
    }
}
