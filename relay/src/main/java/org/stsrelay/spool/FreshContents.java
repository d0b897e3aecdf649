package org.stsrelay.spool;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The content of messages just committed, kept in memory for their first delivery attempt, so that a message
 * relayed at once is not read back from the disk it was just written to. Bounded in octets: the oldest entries
 * make room for new ones, and a message too large for the bound is read from the spool as usual.
 *
 * <p>Keeping costs the spool writer a reference count per buffer, not a copy: the copy is made by whoever takes
 * the content, and only for content that is taken (while delivery is held, kept content is dropped unread).
 */
final class FreshContents implements AutoCloseable {

    private record Held(List<ByteBuf> buffers, long size) {
        void release() {
            buffers.forEach(ByteBuf::release);
        }
    }

    private final long limit;
    private final Map<QueueId, Held> held = new LinkedHashMap<>();
    private long octets;

    FreshContents(long limit) {
        this.limit = limit;
    }

    /** Keeps {@code buffers} (the whole content of message {@code id}, retained here) if it fits the bound at all. */
    void keep(QueueId id, List<ByteBuf> buffers, long size) {
        if (size > limit) {
            return;
        }
        buffers.forEach(ByteBuf::retain);
        List<Held> dropped = new ArrayList<>();
        synchronized (held) {
            Held previous = held.put(id, new Held(List.copyOf(buffers), size));
            if (previous != null) {
                dropped.add(previous);
                octets -= previous.size();
            }
            octets += size;
            Iterator<Held> oldest = held.values().iterator();
            while (octets > limit) {
                Held evicted = oldest.next();
                oldest.remove();
                octets -= evicted.size();
                dropped.add(evicted);
            }
        }
        dropped.forEach(Held::release);
    }

    /** Hands over a copy of the kept content of {@code id}, which is no longer kept; empty when none is. */
    Optional<byte[]> take(QueueId id) {
        Held content;
        synchronized (held) {
            content = held.remove(id);
            if (content == null) {
                return Optional.empty();
            }
            octets -= content.size();
        }
        try {
            byte[] copy = new byte[(int) content.size()];
            int at = 0;
            for (ByteBuf buffer : content.buffers()) {
                int length = buffer.readableBytes();
                buffer.getBytes(buffer.readerIndex(), copy, at, length);
                at += length;
            }
            return Optional.of(copy);
        } finally {
            content.release();
        }
    }

    /** Drops the kept content of {@code id}, if any. */
    void drop(QueueId id) {
        Held content;
        synchronized (held) {
            content = held.remove(id);
            if (content == null) {
                return;
            }
            octets -= content.size();
        }
        content.release();
    }

    /** Octets kept now. */
    long octets() {
        synchronized (held) {
            return octets;
        }
    }

    /** Drops everything kept. */
    @Override
    public void close() {
        List<Held> all;
        synchronized (held) {
            all = new ArrayList<>(held.values());
            held.clear();
            octets = 0;
        }
        all.forEach(Held::release);
    }
}
