package org.stsrelay.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.smtp.DefaultLastSmtpContent;
import io.netty.handler.codec.smtp.DefaultSmtpContent;
import io.netty.handler.codec.smtp.SmtpRequest;
import io.netty.handler.codec.smtp.SmtpRequests;
import io.netty.handler.codec.smtp.SmtpResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.stsrelay.config.DeliveryConfig.Timeouts;
import org.stsrelay.delivery.RecipientResult.Outcome;
import org.stsrelay.spool.Envelope;

/** Sends one message over a ready connection: MAIL, RCPT, DATA (pipelined when offered, RFC 2920). */
final class MessageTransfer {

    private static final int CHUNK = 64 * 1024;

    /**
     * What came of one transaction.
     *
     * @param recipients one result per recipient of the request
     * @param reusable   the conversation is in a clean state: the connection may carry another message
     */
    record Transfer(List<RecipientResult> recipients, boolean reusable) {}

    private final Timeouts timeouts;
    private final Executor contentReader;

    MessageTransfer(Timeouts timeouts, Executor contentReader) {
        this.timeouts = timeouts;
        this.contentReader = contentReader;
    }

    /** Sends {@code request}'s message; never fails exceptionally. */
    CompletableFuture<Transfer> send(SmtpConnection connection, DeliveryRequest request) {
        Optional<List<RecipientResult>> refused = ExtensionCheck.refusal(connection, request);
        if (refused.isPresent()) {
            return CompletableFuture.completedFuture(new Transfer(refused.get(), true));
        }
        String mx = connection.mxHost();
        return envelope(connection, request)
                .thenCompose(replies -> afterEnvelope(connection, request, replies))
                .exceptionally(broken -> {
                    connection.close();
                    return new Transfer(
                            RecipientResults.lost(request.recipients(), mx, SmtpFailure.reasonOf(broken)), false);
                });
    }

    private CompletableFuture<List<SmtpResponse>> envelope(SmtpConnection connection, DeliveryRequest request) {
        List<SmtpRequest> commands = new ArrayList<>();
        List<Duration> waits = new ArrayList<>();
        List<String> awaiting = new ArrayList<>();
        commands.add(SmtpRequests.mail(request.envelope().sender(), MailParameters.mail(connection, request)));
        waits.add(timeouts.mail());
        awaiting.add("the MAIL reply");
        for (int index : request.recipients()) {
            Envelope.Recipient recipient = request.envelope().recipients().get(index);
            commands.add(SmtpRequests.rcpt(recipient.address(), MailParameters.rcpt(connection, recipient)));
            waits.add(timeouts.rcpt());
            awaiting.add("the RCPT reply");
        }
        commands.add(SmtpRequests.data());
        waits.add(timeouts.dataInit());
        awaiting.add("the DATA reply");
        if (connection.extensions().offers("PIPELINING")) {
            return connection.pipeline(commands, waits, awaiting);
        }
        return sequential(connection, commands, waits, awaiting);
    }

    /** Without PIPELINING: one command at a time; stops after a refused MAIL or when no RCPT was accepted. */
    private CompletableFuture<List<SmtpResponse>> sequential(
            SmtpConnection connection, List<SmtpRequest> commands, List<Duration> waits, List<String> awaiting) {
        CompletableFuture<List<SmtpResponse>> chain = CompletableFuture.completedFuture(new ArrayList<>());
        for (int i = 0; i < commands.size(); i++) {
            int at = i;
            boolean last = i == commands.size() - 1;
            chain = chain.thenCompose(replies -> {
                boolean mailRefused = !replies.isEmpty() && replies.get(0).code() / 100 != 2;
                boolean noneAccepted = last && replies.stream().skip(1).noneMatch(r -> r.code() / 100 == 2);
                if (mailRefused || noneAccepted) {
                    return CompletableFuture.completedFuture(replies);
                }
                return connection
                        .command(commands.get(at), waits.get(at), awaiting.get(at))
                        .thenApply(reply -> {
                            replies.add(reply);
                            return replies;
                        });
            });
        }
        return chain;
    }

    private CompletableFuture<Transfer> afterEnvelope(
            SmtpConnection connection, DeliveryRequest request, List<SmtpResponse> replies) {
        String mx = connection.mxHost();
        List<Integer> indexes = request.recipients();
        SmtpResponse mail = replies.get(0);
        if (mail.code() / 100 != 2) {
            List<RecipientResult> all = indexes.stream()
                    .map(i -> RecipientResults.remote(i, mail, mx))
                    .toList();
            return reset(connection, replies, all);
        }
        List<RecipientResult> results = new ArrayList<>();
        List<Integer> accepted = new ArrayList<>();
        for (int i = 0; i < indexes.size(); i++) {
            if (i + 1 >= replies.size()) {
                break;
            }
            RecipientResult result = RecipientResults.remote(indexes.get(i), replies.get(i + 1), mx);
            results.add(result);
            if (result.outcome() == Outcome.DELIVERED) {
                accepted.add(indexes.get(i));
            }
        }
        boolean dataStarted = replies.size() == indexes.size() + 2
                && replies.get(replies.size() - 1).code() == 354;
        if (accepted.isEmpty() || !dataStarted) {
            List<RecipientResult> rest = new ArrayList<>(results);
            SmtpResponse data = replies.get(replies.size() - 1);
            rest.removeIf(r -> r.outcome() == Outcome.DELIVERED);
            accepted.forEach(i -> rest.add(RecipientResults.remote(i, data, mx)));
            return reset(connection, replies, order(rest, indexes));
        }
        results.removeIf(r -> r.outcome() == Outcome.DELIVERED);
        return content(connection, request).thenApply(done -> {
            // RFC 5321 §4.1.1.4: the reply to the end of data applies to every accepted recipient.
            accepted.forEach(i -> results.add(RecipientResults.remote(i, done, mx)));
            connection.countMessage();
            return new Transfer(order(results, indexes), true);
        });
    }

    /**
     * Ends a transaction that sent no content: RFC 2920 §3.1 has the client send an empty message when DATA was
     * accepted after every RCPT was refused; a refused DATA leaves the codec expecting content, which RSET clears.
     */
    private CompletableFuture<Transfer> reset(
            SmtpConnection connection, List<SmtpResponse> replies, List<RecipientResult> results) {
        SmtpResponse last = replies.get(replies.size() - 1);
        CompletableFuture<SmtpResponse> ended = last.code() == 354
                ? connection.command(
                        new DefaultLastSmtpContent(Unpooled.EMPTY_BUFFER),
                        timeouts.dataDone(),
                        "the reply to an empty message")
                : CompletableFuture.completedFuture(last);
        return ended.thenCompose(any -> connection.command(SmtpRequests.rset(), timeouts.mail(), "the RSET reply"))
                .thenApply(rset -> new Transfer(results, rset.code() == 250));
    }

    private CompletableFuture<SmtpResponse> content(SmtpConnection connection, DeliveryRequest request) {
        Optional<ByteBuffer> inMemory = request.content().inMemory();
        if (inMemory.isPresent()) {
            return fromMemory(connection, inMemory.get());
        }
        return CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                stream(connection, request.content());
                                return null;
                            } catch (IOException | SmtpFailure failed) {
                                throw new java.util.concurrent.CompletionException(failed);
                            }
                        },
                        contentReader)
                .thenCompose(written -> connection.command(
                        new DefaultLastSmtpContent(Unpooled.EMPTY_BUFFER),
                        timeouts.dataDone(),
                        "the reply to the end of data"));
    }

    /** Content already in memory is dot-stuffed and written at once, without a read or a change of thread. */
    private CompletableFuture<SmtpResponse> fromMemory(SmtpConnection connection, ByteBuffer content) {
        DotStuffer stuffer = new DotStuffer();
        Channel channel = connection.channel();
        channel.write(new DefaultSmtpContent(stuffer.stuff(content, channel.alloc())));
        channel.write(new DefaultSmtpContent(stuffer.finish(channel.alloc())));
        return connection.command(
                new DefaultLastSmtpContent(Unpooled.EMPTY_BUFFER), timeouts.dataDone(), "the reply to the end of data");
    }

    /** Reads, dot-stuffs and writes the content on the reader executor, waiting whenever the socket is full. */
    private void stream(SmtpConnection connection, MessageContent content) throws IOException, SmtpFailure {
        DotStuffer stuffer = new DotStuffer();
        // A pooled read buffer: one fresh 64 KiB array per message was most of the relay's garbage.
        ByteBuf holder = connection.channel().alloc().heapBuffer(CHUNK, CHUNK);
        ByteBuffer chunk = holder.internalNioBuffer(0, CHUNK);
        try (ReadableByteChannel in = content.open()) {
            while (in.read(chunk.clear()) >= 0) {
                chunk.flip();
                ChannelFuture written = connection
                        .channel()
                        .writeAndFlush(new DefaultSmtpContent(
                                stuffer.stuff(chunk, connection.channel().alloc())));
                if (!connection.channel().isWritable()) {
                    await(written);
                }
            }
        } finally {
            holder.release();
        }
        await(connection
                .channel()
                .writeAndFlush(new DefaultSmtpContent(
                        stuffer.finish(connection.channel().alloc()))));
    }

    /** RFC 5321 §4.5.3.2.5: each data block must be sent within the data-block timeout. */
    private void await(ChannelFuture written) throws SmtpFailure {
        boolean done = written.awaitUninterruptibly(timeouts.dataBlock().toMillis(), TimeUnit.MILLISECONDS);
        if (!done || !written.isSuccess()) {
            written.channel().close();
            throw new SmtpFailure(
                    done
                            ? "cannot send data: " + SmtpFailure.reasonOf(written.cause())
                            : "data not taken within " + timeouts.dataBlock().toSeconds() + " s");
        }
    }

    private static List<RecipientResult> order(List<RecipientResult> results, List<Integer> indexes) {
        List<RecipientResult> ordered = new ArrayList<>(results);
        ordered.sort(java.util.Comparator.comparingInt(r -> indexes.indexOf(r.index())));
        return ordered;
    }
}
