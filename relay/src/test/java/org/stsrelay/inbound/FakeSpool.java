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

    /** One message handed to commit. */
    record Commit(Envelope envelope, String content, CompletableFuture<CommitResult> result) {
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
        commits.add(new Commit(envelope, m.text(), result));
        if (!commitManually) {
            complete(commits.size() - 1);
        }
        return result;
    }

    /** Completes the n-th commit as configured (Committed, or Failed when failCommits). */
    void complete(int n) {
        Commit c = commits.get(n);
        c.result().complete(failCommits ? new CommitResult.Failed(c.envelope().id(), "disk full")
                : new CommitResult.Committed(c.envelope().id()));
    }

    /** Committed envelopes (those completed with Committed). */
    List<Commit> committed() {
        return commits.stream().filter(c -> c.result().getNow(null) instanceof CommitResult.Committed).toList();
    }

    @Override
    public int size() {
        return committed().size();
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    /** Content collected in memory. */
    final class Message implements IncomingMessage {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean discarded;

        @Override
        public CompletionStage<Void> append(ByteBuf content) {
            try {
                byte[] b = new byte[content.readableBytes()];
                content.readBytes(b);
                bytes.writeBytes(b);
            } finally {
                content.release();
            }
            return appendGate == null ? CompletableFuture.completedFuture(null) : appendGate;
        }

        @Override
        public long size() {
            return bytes.size();
        }

        @Override
        public void discard() {
            discarded = true;
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
