package org.stsrelay.e2e;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A test message as its author wrote it: envelope, header block and body, lines ending in CRLF
 * (the wire form). {@link #localForm()} is the same text with LF line ends, as a local program
 * hands mail to sendmail.
 *
 * @param messageId the unique Message-ID, without angle brackets, by which a message is found again
 * @param sender the envelope sender
 * @param recipients the envelope recipients
 * @param header the header fields, each ending in CRLF, without the empty line after them
 * @param body everything after the empty line
 */
record CorpusMessage(String messageId, String sender, List<String> recipients, byte[] header, byte[] body) {

    CorpusMessage {
        recipients = List.copyOf(recipients);
    }

    /** Header, empty line and body: the bytes that must arrive unchanged. */
    byte[] wireForm() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(header.length + 2 + body.length);
        out.writeBytes(header);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** The wire form with every CRLF turned into LF. */
    byte[] localForm() {
        byte[] wire = wireForm();
        ByteArrayOutputStream out = new ByteArrayOutputStream(wire.length);
        for (int i = 0; i < wire.length; i++) {
            if (!(wire[i] == '\r' && i + 1 < wire.length && wire[i + 1] == '\n')) {
                out.write(wire[i]);
            }
        }
        return out.toByteArray();
    }
}
