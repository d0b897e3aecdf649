package org.stsrelay.received;

import java.io.ByteArrayOutputStream;

/** Line ends of a message read from disk, where a bare LF is the local convention. */
final class MessageLines {

    private MessageLines() {}

    /**
     * The message with every bare LF made CRLF: RFC 5322 §2.1 lines end in CRLF, and a DKIM signature (RFC 6376 §3.4)
     * was made over the CRLF form.
     */
    static byte[] crlf(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + message.length / 32);
        for (int i = 0; i < message.length; i++) {
            if (message[i] == '\n' && (i == 0 || message[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(message[i]);
        }
        return out.toByteArray();
    }
}
