package org.stsrelay.inbound;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.stsrelay.spool.CommitResult;
import org.stsrelay.spool.Envelope;
import org.stsrelay.spool.IncomingMessage;
import org.stsrelay.spool.QueueId;
import org.stsrelay.spool.Spool;

/** An in-memory Spool whose commits and appends the test completes when it wants. */
final class FakeSpool implements Spool {

    /** One message handed to commit; its content is read when asked, as the real spool's writer does later. */
    record Commit(Envelope envelope, Message message, CompletableFuture<CommitResult> result) {
        String content() {
            return message.text();
        }
    }

    final List<Commit> commits = new ArrayList<>();
    final List<Message> messages = new ArrayList<>();
    boolean commitManually;
    boolean failCommits;
    CompletableFuture<Void> appendGate;
    private int next;

    @Override
    public QueueId nextId() {
        return new QueueId(String.format("%016d", ++next));
    }

    @Override
    public IncomingMessage newMessage() {
        Message m = new Message();
        messages.add(m);
        return m;
    }

    @Override
    public CompletionStage<CommitResult> commit(Envelope envelope, IncomingMessage content) {
        Message m = (Message) content;
        CompletableFuture<CommitResult> result = new CompletableFuture<>();
        commits.add(new Commit(envelope, m, result));
        if (!commitManually) {
            complete(commits.size() - 1);
        }
        return result;
    }

    /** Completes the n-th commit as configured (Committed, or Failed when failCommits). */
    void complete(int n) {
        Commit c = commits.get(n);
        c.result()
                .complete(
                        failCommits
                                ? new CommitResult.Failed(c.envelope().id(), "disk full")
                                : new CommitResult.Committed(c.envelope().id()));
    }

    /** Octets of content held by messages neither committed nor discarded, as the spool's memory budget counts them. */
    long held() {
        return messages.stream()
                .filter(m -> !m.discarded && commits.stream().noneMatch(c -> c.message() == m))
                .mapToLong(m ->
                        m.buffers.stream().mapToLong(ByteBuf::readableBytes).sum())
                .sum();
    }

    /** Committed envelopes (those completed with Committed). */
    List<Commit> committed() {
        return commits.stream()
                .filter(c -> c.result().getNow(null) instanceof CommitResult.Committed)
                .toList();
    }

    @Override
    public int size() {
        return committed().size();
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    /**
     * Content held as the buffers it was appended as, read only when the test asks, like the real
     * spool, which keeps them until its writer copies them out after the session has read on.
     */
    final class Message implements IncomingMessage {
        private final List<ByteBuf> buffers = new ArrayList<>();
        private long size;
        boolean discarded;

        @Override
        public CompletionStage<Void> append(ByteBuf content) {
            buffers.add(content);
            size += content.readableBytes();
            return appendGate == null ? CompletableFuture.completedFuture(null) : appendGate;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void discard() {
            if (!discarded) {
                buffers.forEach(ByteBuf::release);
                buffers.clear();
            }
            discarded = true;
        }

        String text() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (ByteBuf buffer : buffers) {
                byte[] b = new byte[buffer.readableBytes()];
                buffer.getBytes(buffer.readerIndex(), b);
                bytes.writeBytes(b);
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
