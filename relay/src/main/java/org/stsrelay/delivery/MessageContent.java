package org.stsrelay.delivery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Optional;

/** A spooled message's content as delivery reads it: the octets as received, before dot-stuffing. */
public interface MessageContent {

    /** Octets of content. */
    long size();

    /** A fresh channel positioned at the first octet; the caller closes it. */
    ReadableByteChannel open() throws IOException;

    /**
     * The whole content when it is already in memory (a read-only buffer at its first octet), so that it can be
     * sent without a read; empty when it must be read through {@link #open()}.
     */
    default Optional<ByteBuffer> inMemory() {
        return Optional.empty();
    }
}
