package org.stsrelay.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A segment channel that fails like a full disk on demand: writes half a buffer, then throws. */
final class FaultyChannel extends FileChannel {

    /** Opens real channels wrapped so that {@code failWrites} and {@code failForce} take effect. */
    static final class Opener implements ChannelOpener {
        final AtomicBoolean failWrites = new AtomicBoolean();
        final AtomicBoolean failForce = new AtomicBoolean();
        /** While set, force() waits until it is counted down: holds the writer inside an fsync. */
        final AtomicReference<CountDownLatch> forceGate = new AtomicReference<>();

        final AtomicInteger forcesWaiting = new AtomicInteger();

        private void passGate() throws IOException {
            CountDownLatch gate = forceGate.get();
            if (gate == null) {
                return;
            }
            forcesWaiting.incrementAndGet();
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("test gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted at the test gate", e);
            } finally {
                forcesWaiting.decrementAndGet();
            }
        }

        @Override
        public FileChannel open(Path path, OpenOption... options) throws IOException {
            return new FaultyChannel(FileChannel.open(path, options), this);
        }
    }

    private final FileChannel delegate;
    private final Opener faults;

    private FaultyChannel(FileChannel delegate, Opener faults) {
        this.delegate = delegate;
        this.faults = faults;
    }

    private void failHalfway(ByteBuffer buffer) throws IOException {
        if (faults.failWrites.get()) {
            ByteBuffer half = buffer.duplicate();
            half.limit(half.position() + half.remaining() / 2);
            delegate.write(half);
            throw new IOException("No space left on device");
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        failHalfway(src);
        return delegate.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (length > 0) {
            failHalfway(srcs[offset]);
        }
        return delegate.write(srcs, offset, length);
    }

    @Override
    public void force(boolean metaData) throws IOException {
        faults.passGate();
        if (faults.failForce.get()) {
            throw new IOException("Input/output error");
        }
        delegate.force(metaData);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        delegate.truncate(size);
        return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return delegate.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return delegate.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        failHalfway(src);
        return delegate.write(src, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        delegate.close();
    }
}
