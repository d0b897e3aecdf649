package org.stsrelay.inbound;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;

/**
 * Splits the byte stream into command lines or DATA content, and can be paused by the session.
 *
 * <p>While paused it decodes nothing and reading stops once bytes arrive, so at most one read's worth of
 * bytes waits in its buffer; this keeps pipelined commands behind the reply they depend on (a spool commit, a
 * password check, a TLS handshake) and lets the session see bytes pipelined after STARTTLS. It is not
 * a {@code ByteToMessageDecoder} because that one asks for more reads while nothing is decoded.
 */
final class SmtpFramer extends ChannelInboundHandlerAdapter {

    /** RFC 5321 §4.5.3.1.4: a command line is at most 512 octets including CRLF. */
    static final int MAX_COMMAND_LINE = 512;

    private enum Mode {
        COMMAND,
        DISCARD_LINE,
        DATA
    }

    private final DataDecoder data;
    private ChannelHandlerContext ctx;
    private ByteBuf cumulation;
    private Mode mode = Mode.COMMAND;
    private boolean paused;
    private boolean decoding;

    SmtpFramer(DataDecoder data) {
        this.data = data;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseCumulation();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!decoding) {
            releaseCumulation();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        cumulation =
                cumulation == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
        if (!paused) {
            decode();
        } else if (ctx.channel().config().isAutoRead()) {
            // Bytes came while paused: only now stop reading, so this one read is all that waits.
            ctx.channel().config().setAutoRead(false);
        }
    }

    /**
     * Stops decoding until {@link #resume()}. Reading stops when bytes arrive meanwhile, not at once: a client in
     * lock-step sends nothing while it waits for the reply, and each switch of reading off and on again costs
     * two system calls.
     */
    void pause() {
        paused = true;
    }

    /** Decodes what is buffered and reads again; call on the event loop. */
    void resume() {
        paused = false;
        if (!ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
        if (!decoding) {
            decode();
        }
    }

    /** Whether the session paused decoding. */
    boolean isPaused() {
        return paused;
    }

    /** Switches to DATA content until the end marker, after which it is back in command mode and paused. */
    void startData() {
        data.reset();
        mode = Mode.DATA;
    }

    /** Octets received and not yet decoded (bytes pipelined behind the line just handed on). */
    int buffered() {
        return cumulation == null ? 0 : cumulation.readableBytes();
    }

    private void decode() {
        decoding = true;
        try {
            while (!paused
                    && cumulation != null
                    && cumulation.isReadable()
                    && ctx.channel().isActive()) {
                if (!decodeOne()) {
                    break;
                }
            }
        } finally {
            decoding = false;
            if (cumulation != null
                    && (!cumulation.isReadable() || !ctx.channel().isActive())) {
                releaseCumulation();
            } else if (cumulation != null && cumulation.refCnt() == 1) {
                // DATA content goes to the spool as slices of this buffer; while any is held,
                // compacting would move bytes under it (as ByteToMessageDecoder also guards).
                cumulation.discardSomeReadBytes();
            }
        }
    }

    private boolean decodeOne() {
        return switch (mode) {
            case COMMAND -> commandLine();
            case DISCARD_LINE -> discardLine();
            case DATA -> dataContent();
        };
    }

    private boolean commandLine() {
        int start = cumulation.readerIndex();
        int window = Math.min(cumulation.readableBytes(), MAX_COMMAND_LINE);
        int lf = cumulation.forEachByte(start, window, ByteProcessor.FIND_LF);
        if (lf < 0) {
            if (window < MAX_COMMAND_LINE) {
                return false;
            }
            // Only the over-long line goes: what follows its LF is the next (pipelined) command,
            // whichever TCP segment it arrived in (RFC 5321 §4.5.3.1.4, RFC 2920 §3.1).
            mode = Mode.DISCARD_LINE;
            cumulation.skipBytes(window);
            ctx.fireChannelRead(new Frame.LineTooLong());
            return true;
        }
        int end = lf > start && cumulation.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        String text = cumulation.toString(start, end - start, StandardCharsets.UTF_8);
        cumulation.readerIndex(lf + 1);
        ctx.fireChannelRead(new Frame.CommandLine(text));
        return true;
    }

    private boolean discardLine() {
        int lf = cumulation.forEachByte(ByteProcessor.FIND_LF);
        if (lf < 0) {
            cumulation.skipBytes(cumulation.readableBytes());
            return false;
        }
        cumulation.readerIndex(lf + 1);
        mode = Mode.COMMAND;
        return true;
    }

    private boolean dataContent() {
        Frame.EndOfData end = data.decode(
                cumulation, ctx::fireChannelRead, () -> paused || !ctx.channel().isActive());
        if (end == null) {
            return false;
        }
        mode = Mode.COMMAND;
        pause();
        ctx.fireChannelRead(end);
        return true;
    }

    private void releaseCumulation() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }
}
