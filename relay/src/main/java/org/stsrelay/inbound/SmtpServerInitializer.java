package org.stsrelay.inbound;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Builds a session's pipeline: limits, timeouts, (tls,) framing, replies, session. */
final class SmtpServerInitializer extends ChannelInitializer<Channel> {

    /** The most Received header fields a message may carry before it is taken for a loop. */
    static final int MAX_RECEIVED = 100;

    private static final ReplyEncoder ENCODER = new ReplyEncoder();

    private final ServerContext context;
    private final ConnectionLimiter limiter;
    private final ChannelGroup sessions;

    SmtpServerInitializer(ServerContext context, ConnectionLimiter limiter, ChannelGroup sessions) {
        this.context = context;
        this.limiter = limiter;
        this.sessions = sessions;
    }

    @Override
    protected void initChannel(Channel ch) {
        // Tracked so that shutdown can reach every open session.
        sessions.add(ch);
        var config = context.config();
        SmtpFramer framer =
                new SmtpFramer(new DataDecoder(config.maxLineLength(), config.maxMessageSize(), MAX_RECEIVED));
        ch.pipeline()
                // Replies to a pipelined group go out in one write instead of one per command.
                .addLast("flush", new FlushConsolidationHandler())
                .addLast("limits", limiter)
                .addLast("timeouts", timeouts(config.commandTimeout()))
                .addLast("framing", framer)
                .addLast("replies", ENCODER)
                .addLast("session", new SmtpSession(context, framer));
    }

    /** An idle-read timer (RFC 5321 §4.5.3.2); the session swaps it between command and DATA timeouts. */
    static ChannelHandler timeouts(Duration timeout) {
        return new IdleStateHandler(timeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS);
    }
}
