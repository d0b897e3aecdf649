package org.stsrelay.world;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One message as an MX of the world received it.
 *
 * @param mxHost the host name of the MX that received it (behind a man in the middle: the real MX)
 * @param mxAddress the address it was received on
 * @param sender the MAIL FROM address, empty for the null sender
 * @param recipients the RCPT TO addresses the MX accepted
 * @param content the message as received, dot-unstuffed, CRLF line ends
 * @param tlsProtocol the TLS version of the session (e.g. TLSv1.3); empty for plaintext
 * @param sni the server name the client asked for in its TLS ClientHello, empty when none
 * @param connection the MX's number of the connection it came on, to see reuse
 * @param receivedAt when the final dot was read
 */
public record ReceivedMessage(
        String mxHost,
        String mxAddress,
        String sender,
        List<String> recipients,
        byte[] content,
        Optional<String> tlsProtocol,
        Optional<String> sni,
        long connection,
        Instant receivedAt) {

    public ReceivedMessage {
        recipients = List.copyOf(recipients);
    }

    /** The content as text (tests send ASCII). */
    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }

    /** Whether the session was encrypted. */
    public boolean overTls() {
        return tlsProtocol.isPresent();
    }
}
