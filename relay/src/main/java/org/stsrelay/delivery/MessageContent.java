package org.stsrelay.delivery;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;

/** A spooled message's content as delivery reads it: the octets as received, before dot-stuffing. */
public interface MessageContent {

    /** Octets of content. */
    long size();

    /** A fresh channel positioned at the first octet; the caller closes it. */
    ReadableByteChannel open() throws IOException;
}
