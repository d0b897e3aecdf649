package org.stsrelay.spool;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.zip.CRC32C;

/**
 * The spool's {@link IncomingMessage}: buffers in memory up to a limit, then spills everything to a
 * file under {@code incoming/}, written on the I/O executor in append order. The CRC32C of the
 * content is computed as it arrives, so that the writer does not read it again.
 */
final class BufferedMessage implements IncomingMessage {

    private final int memoryLimit;
    private final MemoryBudget budget;
    private final Path incomingDirectory;
    private final Executor io;
    private final List<ByteBuf> buffers = new ArrayList<>();
    private final CRC32C crc = new CRC32C();
    private long size;
    /** Octets of {@link #buffers} taken from the shared budget; given back when they are freed. */
    private long reserved;

    private SpillFile spill;
    /** Completes when every spill write so far is done; each write is chained onto it. */
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    private boolean finished;

    BufferedMessage(int memoryLimit, MemoryBudget budget, Path incomingDirectory, Executor io) {
        this.memoryLimit = memoryLimit;
        this.budget = budget;
        this.incomingDirectory = incomingDirectory;
        this.io = io;
    }

    @Override
    public CompletionStage<Void> append(ByteBuf content) {
        if (finished) {
            content.release();
            return CompletableFuture.failedFuture(new IllegalStateException("message already committed or discarded"));
        }
        for (ByteBuffer part : content.nioBuffers()) {
            crc.update(part);
        }
        int length = content.readableBytes();
        size += length;
        if (spill == null && size <= memoryLimit && budget.tryReserve(length)) {
            buffers.add(content);
            reserved += length;
            return CompletableFuture.completedFuture(null);
        }
        List<ByteBuf> pending = new ArrayList<>(buffers);
        pending.add(content);
        buffers.clear();
        long written = reserved;
        reserved = 0;
        if (spill == null) {
            spill = new SpillFile(incomingDirectory.resolve(UUID.randomUUID() + ".spill"));
        }
        SpillFile file = spill;
        tail = tail.handleAsync(
                (ignored, failure) -> {
                    if (failure != null) {
                        pending.forEach(ByteBuf::release);
                        throw new SpillFailure(failure);
                    }
                    try {
                        file.write(pending);
                    } catch (java.io.IOException e) {
                        throw new SpillFailure(e);
                    } finally {
                        budget.release(written);
                    }
                    return null;
                },
                io);
        return tail.minimalCompletionStage();
    }

    @Override
    public long size() {
        return size;
    }

    /** Hands the complete content over for writing; afterwards this message is finished. */
    CompletionStage<SealedContent> seal() {
        if (finished) {
            return CompletableFuture.failedFuture(new IllegalStateException("message already committed or discarded"));
        }
        finished = true;
        long total = size;
        int checksum = (int) crc.getValue();
        if (spill == null) {
            long held = reserved;
            reserved = 0;
            return CompletableFuture.completedFuture(
                    new SealedContent.Memory(List.copyOf(buffers), total, checksum, () -> budget.release(held)));
        }
        SpillFile file = spill;
        return tail.handleAsync(
                (ignored, failure) -> {
                    if (failure != null) {
                        file.closeAndDelete();
                        throw new SpillFailure(failure);
                    }
                    try {
                        file.close();
                    } catch (java.io.IOException e) {
                        file.closeAndDelete();
                        throw new SpillFailure(e);
                    }
                    return new SealedContent.Spilled(file.path(), total, checksum);
                },
                io);
    }

    @Override
    public void discard() {
        if (finished) {
            return;
        }
        finished = true;
        buffers.forEach(ByteBuf::release);
        buffers.clear();
        budget.release(reserved);
        reserved = 0;
        if (spill != null) {
            SpillFile file = spill;
            tail.whenCompleteAsync((ignored, failure) -> file.closeAndDelete(), io);
        }
    }

    /** A spill write that failed; carries the I/O error to whoever waits on the message. */
    static final class SpillFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SpillFailure(Throwable cause) {
            super(rootOf(cause));
        }

        private static Throwable rootOf(Throwable failure) {
            Throwable root = failure;
            while ((root instanceof SpillFailure || root instanceof java.util.concurrent.CompletionException)
                    && root.getCause() != null) {
                root = root.getCause();
            }
            return root;
        }
    }
}
