package org.stsrelay.spool;

import io.netty.buffer.ByteBuf;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The content of messages just committed, kept in memory for their first delivery attempt, so that a message
 * relayed at once is not read back from the disk it was just written to. Bounded in octets: the oldest entries
 * make room for new ones, and a message too large for the bound is read from the spool as usual.
 */
final class FreshContents {

    private final long limit;
    private final Map<QueueId, byte[]> held = new LinkedHashMap<>();
    private long octets;

    FreshContents(long limit) {
        this.limit = limit;
    }

    /** Keeps a copy of {@code buffers} (the whole content of message {@code id}) if it fits the bound at all. */
    void keep(QueueId id, List<ByteBuf> buffers, long size) {
        if (size > limit) {
            return;
        }
        byte[] copy = new byte[(int) size];
        int at = 0;
        for (ByteBuf buffer : buffers) {
            int length = buffer.readableBytes();
            buffer.getBytes(buffer.readerIndex(), copy, at, length);
            at += length;
        }
        synchronized (held) {
            byte[] previous = held.put(id, copy);
            octets += copy.length - (previous == null ? 0 : previous.length);
            Iterator<byte[]> oldest = held.values().iterator();
            while (octets > limit) {
                octets -= oldest.next().length;
                oldest.remove();
            }
        }
    }

    /** Hands over the kept content of {@code id}, which is no longer kept; empty when none is. */
    Optional<byte[]> take(QueueId id) {
        synchronized (held) {
            byte[] content = held.remove(id);
            if (content != null) {
                octets -= content.length;
            }
            return Optional.ofNullable(content);
        }
    }

    /** Octets kept now. */
    long octets() {
        synchronized (held) {
            return octets;
        }
    }
}
