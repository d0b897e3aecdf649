package org.stsrelay.delivery;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.smtp.SmtpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Hands SMTP replies to whoever waits for them, in order (RFC 2920 §3: replies come in command order), each
 * wait bounded by its RFC 5321 §4.5.3.2 timeout. Runs on the channel's event loop only.
 */
final class ReplyHandler extends SimpleChannelInboundHandler<SmtpResponse> {

    /** One awaited reply. */
    private record Pending(CompletableFuture<SmtpResponse> reply, String awaiting, ScheduledFuture<?> timer) {}

    private final Deque<Pending> pending = new ArrayDeque<>();
    private final Deque<SmtpResponse> early = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private String broken;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Waits for the next reply; the caller writes the command that causes it. Call on the event loop. */
    CompletableFuture<SmtpResponse> expect(Duration timeout, String awaiting) {
        CompletableFuture<SmtpResponse> reply = new CompletableFuture<>();
        if (!early.isEmpty()) {
            reply.complete(early.poll());
            return reply;
        }
        if (broken != null) {
            reply.completeExceptionally(new SmtpFailure(broken + " (waiting for " + awaiting + ")"));
            return reply;
        }
        ScheduledFuture<?> timer = ctx.executor()
                .schedule(
                        () -> fail(
                                "no answer within " + timeout.toSeconds() + " s while waiting for " + awaiting, true),
                        timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
        pending.add(new Pending(reply, awaiting, timer));
        return reply;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SmtpResponse response) {
        Pending next = pending.poll();
        if (next == null) {
            // The greeting can arrive before anyone waits for it.
            early.add(response);
            return;
        }
        next.timer().cancel(false);
        next.reply().complete(response);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail("the server closed the connection", false);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail("connection error: " + SmtpFailure.reasonOf(cause), true);
    }

    private void fail(String reason, boolean close) {
        if (broken == null) {
            broken = reason;
        }
        for (Pending waiting; (waiting = pending.poll()) != null; ) {
            waiting.timer().cancel(false);
            waiting.reply()
                    .completeExceptionally(new SmtpFailure(reason + " (waiting for " + waiting.awaiting() + ")"));
        }
        if (close) {
            ctx.close();
        }
    }
}
