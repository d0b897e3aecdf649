package org.stsrelay.queue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.Optional;
import org.stsrelay.delivery.MessageContent;

/** A message's content handed over from memory by the spool, as it is in the spool segment. */
final class MemoryContent implements MessageContent {

    private final byte[] octets;

    MemoryContent(byte[] octets) {
        this.octets = octets;
    }

    @Override
    public long size() {
        return octets.length;
    }

    @Override
    public ReadableByteChannel open() {
        return Channels.newChannel(new ByteArrayInputStream(octets));
    }

    @Override
    public Optional<ByteBuffer> inMemory() {
        return Optional.of(ByteBuffer.wrap(octets).asReadOnlyBuffer());
    }
}
