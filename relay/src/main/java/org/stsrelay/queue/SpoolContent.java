package org.stsrelay.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.StandardOpenOption;
import org.stsrelay.delivery.MessageContent;
import org.stsrelay.spool.SpooledMessage;

/** A spooled message's content read straight from its spool segment. */
final class SpoolContent implements MessageContent {

    private final SpooledMessage message;

    SpoolContent(SpooledMessage message) {
        this.message = message;
    }

    @Override
    public long size() {
        return message.size();
    }

    @Override
    public ReadableByteChannel open() throws IOException {
        return new Slice(
                FileChannel.open(message.segment(), StandardOpenOption.READ), message.contentOffset(), message.size());
    }

    /** A window of a file: reads end where the message content ends, not where the segment does. */
    private static final class Slice implements ReadableByteChannel {
        private final FileChannel file;
        private long position;
        private long remaining;

        Slice(FileChannel file, long position, long remaining) {
            this.file = file;
            this.position = position;
            this.remaining = remaining;
        }

        @Override
        public int read(ByteBuffer destination) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            ByteBuffer window = destination.slice();
            window.limit((int) Math.min(window.remaining(), remaining));
            int n = file.read(window, position);
            if (n < 0) {
                throw new IOException("spool segment ended before the message content did");
            }
            destination.position(destination.position() + n);
            position += n;
            remaining -= n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return file.isOpen();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
