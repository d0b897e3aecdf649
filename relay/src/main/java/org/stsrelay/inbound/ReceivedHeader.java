package org.stsrelay.inbound;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.stsrelay.mail.MailDates;

/**
 * The {@code Received:} trace header field prepended to each message (RFC 5321 §4.4), with the
 * protocol names of RFC 3848 and RFC 6531 §4.3 (ESMTP, ESMTPS, ESMTPSA, UTF8SMTPS, ...).
 *
 * @param helo        the EHLO/HELO argument
 * @param client      the client's IP address
 * @param hostname    this relay's name
 * @param protocol    the {@code with} value
 * @param id          the queue id
 * @param recipient   the single recipient, when there is exactly one (more would disclose the list)
 * @param tls         e.g. {@code TLSv1.3 with cipher TLS_AES_128_GCM_SHA256}, when TLS is in use
 * @param when        arrival time
 */
record ReceivedHeader(
        String helo,
        InetAddress client,
        String hostname,
        String protocol,
        String id,
        Optional<String> recipient,
        Optional<String> tls,
        ZonedDateTime when) {

    /** The protocol name for the {@code with} clause. */
    static String protocol(boolean esmtp, boolean utf8, boolean tls, boolean auth) {
        if (!esmtp) {
            return "SMTP";
        }
        return (utf8 ? "UTF8SMTP" : "ESMTP") + (tls ? "S" : "") + (auth ? "A" : "");
    }

    /** The header field, folded, ending in CRLF. */
    String render() {
        StringBuilder out = new StringBuilder(256)
                .append("Received: from ")
                .append(helo)
                .append(" (")
                .append(addressLiteral(client))
                .append(")\r\n");
        tls.ifPresent(t -> out.append("\t(using ").append(t).append(")\r\n"));
        out.append("\tby ")
                .append(hostname)
                .append(" (sts-relay) with ")
                .append(protocol)
                .append(" id ")
                .append(id);
        recipient.ifPresent(r -> out.append("\r\n\tfor <").append(r).append('>'));
        out.append(";\r\n\t").append(MailDates.format(when.toInstant())).append("\r\n");
        return out.toString();
    }

    /** The header field as bytes (UTF-8 for SMTPUTF8 names, RFC 6532). */
    byte[] bytes() {
        return render().getBytes(StandardCharsets.UTF_8);
    }

    // RFC 5321 §4.1.3: IPv6 literals carry the "IPv6:" tag.
    private static String addressLiteral(InetAddress address) {
        String text = address.getHostAddress();
        // The scope of a link-local address ("%eth0") means nothing to anyone reading the header.
        int scope = text.indexOf('%');
        if (scope >= 0) {
            text = text.substring(0, scope);
        }
        return address instanceof Inet6Address ? "[IPv6:" + text + "]" : "[" + text + "]";
    }
}
