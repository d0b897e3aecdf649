package org.stsrelay.spool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/** Reads the content of one spooled message from its segment. */
final class ContentStream extends InputStream {

    private final FileChannel channel;
    private long position;
    private long remaining;

    private ContentStream(FileChannel channel, long position, long remaining) {
        this.channel = channel;
        this.position = position;
        this.remaining = remaining;
    }

    static InputStream open(SpooledMessage message) throws IOException {
        return new ContentStream(
                FileChannel.open(message.segment(), StandardOpenOption.READ), message.contentOffset(), message.size());
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int n = channel.read(ByteBuffer.wrap(buffer, offset, (int) Math.min(length, remaining)), position);
        if (n < 0) {
            throw new IOException("spool segment ended before the message content did");
        }
        position += n;
        remaining -= n;
        return n;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
