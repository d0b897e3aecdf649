package org.stsrelay.queue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.stsrelay.mail.MailDates;
import org.stsrelay.mail.Xtext;
import org.stsrelay.spool.Envelope;

/**
 * Writes a delivery status notification (RFC 3464 §2): a {@code multipart/report} with a part for
 * people, the {@code message/delivery-status} part, and the original headers or message. Written by
 * hand rather than with a MIME library so that the returned message is embedded octet for octet,
 * 8-bit and UTF-8 included, never re-encoded.
 */
final class DsnWriter {

    /** RFC 5322 §2.1.1: lines of at most 998 octets; a remote reply is cut well before that. */
    private static final int MAX_FIELD_TEXT = 900;

    private static final String CRLF = "\r\n";

    /**
     * What a DSN is about.
     *
     * @param original   the original message's envelope
     * @param action     failed, delayed or delivered
     * @param recipients the recipients it reports on
     * @param returned   the original header section, or the whole message when {@code full}
     * @param full       {@code returned} is the whole message (RET=FULL and small enough)
     */
    record Report(Envelope original, DsnAction action, List<DsnRecipient> recipients, byte[] returned, boolean full) {}

    private final String hostname;

    DsnWriter(String hostname) {
        this.hostname = hostname;
    }

    /** The complete DSN message, CRLF line endings, with {@code messageId} (without angle brackets). */
    byte[] write(Report report, Instant now, String messageId, String boundary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096 + report.returned().length);
        text(out, headers(report, now, messageId, boundary));
        text(out, "This is a MIME-encapsulated message." + CRLF + CRLF);
        text(out, "--" + boundary + CRLF);
        text(
                out,
                "Content-Type: text/plain; charset=utf-8" + CRLF + "Content-Transfer-Encoding: 8bit" + CRLF
                        + "Content-Description: Notification" + CRLF + CRLF);
        text(out, humanText(report));
        text(out, CRLF + "--" + boundary + CRLF);
        boolean global = !ascii(statusFields(report, now));
        // RFC 6533 §3: per-recipient fields with UTF-8 addresses go in message/global-delivery-status.
        text(
                out,
                "Content-Type: message/" + (global ? "global-" : "") + "delivery-status" + CRLF
                        + "Content-Description: Delivery report" + CRLF + CRLF);
        text(out, statusFields(report, now));
        text(out, CRLF + "--" + boundary + CRLF);
        text(
                out,
                (report.full()
                                ? "Content-Type: message/rfc822" + CRLF + "Content-Description: Undelivered message"
                                : "Content-Type: text/rfc822-headers" + CRLF
                                        + "Content-Description: Headers of the message")
                        + CRLF);
        if (!ascii(report.returned())) {
            text(out, "Content-Transfer-Encoding: 8bit" + CRLF);
        }
        text(out, CRLF);
        out.writeBytes(report.returned());
        if (!endsWithLineBreak(report.returned())) {
            text(out, CRLF);
        }
        text(out, CRLF + "--" + boundary + "--" + CRLF);
        return out.toByteArray();
    }

    private String headers(Report report, Instant now, String messageId, String boundary) {
        StringBuilder h = new StringBuilder(512);
        h.append("From: Mail Delivery System <MAILER-DAEMON@")
                .append(hostname)
                .append('>')
                .append(CRLF);
        h.append("To: <").append(report.original().sender()).append('>').append(CRLF);
        h.append("Subject: ").append(report.action().subject()).append(CRLF);
        h.append("Date: ").append(MailDates.format(now)).append(CRLF);
        h.append("Message-ID: <").append(messageId).append('>').append(CRLF);
        // RFC 3834 §5: marks the DSN as automatic, so that responders do not answer it.
        h.append("Auto-Submitted: auto-replied").append(CRLF);
        if (report.original().kind().ownTlsReport()) {
            // RFC 8689 §3, RFC 8460 §5.3.1: like the report it is about, it should pass MTAs after this one
            // despite their recipients' TLS policies. This relay knows it from the DSN's envelope instead.
            h.append("TLS-Required: No").append(CRLF);
        }
        h.append("MIME-Version: 1.0").append(CRLF);
        h.append("Content-Type: multipart/report; report-type=delivery-status;")
                .append(CRLF)
                .append("\tboundary=\"")
                .append(boundary)
                .append('"')
                .append(CRLF);
        h.append(CRLF);
        return h.toString();
    }

    private String humanText(Report report) {
        StringBuilder t = new StringBuilder(512);
        t.append("This is the mail system at host ")
                .append(hostname)
                .append('.')
                .append(CRLF)
                .append(CRLF);
        t.append(
                        switch (report.action()) {
                            case FAILED ->
                                "Your message could not be delivered to the recipients below."
                                        + " It will not be tried again.";
                            case DELAYED ->
                                "Your message has not yet been delivered to the recipients below. It is still being"
                                        + " tried; you do not need to send it again.";
                            case DELIVERED -> "Your message was delivered to the recipients below.";
                        })
                .append(CRLF)
                .append(CRLF);
        for (DsnRecipient r : report.recipients()) {
            t.append('<')
                    .append(r.recipient().address())
                    .append(">: ")
                    .append(oneLine(r.reason()))
                    .append(CRLF);
            r.willRetryUntil()
                    .ifPresent(until -> t.append("    (tried until ")
                            .append(MailDates.format(until))
                            .append(')')
                            .append(CRLF));
        }
        return t.toString();
    }

    /** RFC 3464 §2.2 per-message fields, then §2.3 per-recipient fields, each group after an empty line. */
    private String statusFields(Report report, Instant now) {
        StringBuilder s = new StringBuilder(512);
        s.append("Reporting-MTA: dns; ").append(hostname).append(CRLF);
        // RFC 3461 §4.4: ENVID arrives as xtext; the DSN carries the decoded identifier.
        report.original()
                .params()
                .envid()
                .ifPresent(id -> s.append("Original-Envelope-Id: ")
                        .append(oneLine(Xtext.decode(id)))
                        .append(CRLF));
        s.append("Arrival-Date: ")
                .append(MailDates.format(report.original().arrival()))
                .append(CRLF);
        for (DsnRecipient r : report.recipients()) {
            s.append(CRLF);
            r.recipient()
                    .orcpt()
                    .ifPresent(orcpt -> s.append("Original-Recipient: ")
                            .append(oneLine(originalRecipient(orcpt)))
                            .append(CRLF));
            String address = r.recipient().address();
            s.append("Final-Recipient: ")
                    .append(ascii(address) ? "rfc822; " : "utf-8; ")
                    .append(address)
                    .append(CRLF);
            s.append("Action: ").append(report.action().field()).append(CRLF);
            s.append("Status: ").append(r.status()).append(CRLF);
            r.remoteMta()
                    .ifPresent(mx -> s.append("Remote-MTA: dns; ").append(mx).append(CRLF));
            r.diagnostic()
                    .ifPresent(d ->
                            s.append("Diagnostic-Code: ").append(oneLine(d)).append(CRLF));
            s.append("Last-Attempt-Date: ")
                    .append(MailDates.format(r.lastAttempt()))
                    .append(CRLF);
            r.willRetryUntil()
                    .ifPresent(until -> s.append("Will-Retry-Until: ")
                            .append(MailDates.format(until))
                            .append(CRLF));
        }
        return s.toString();
    }

    /** ORCPT is {@code addr-type;xtext} (RFC 3461 §4.2); Original-Recipient wants {@code addr-type; address}. */
    private static String originalRecipient(String orcpt) {
        int semicolon = orcpt.indexOf(';');
        if (semicolon < 0) {
            return "unknown; " + Xtext.decode(orcpt);
        }
        return orcpt.substring(0, semicolon) + "; " + Xtext.decode(orcpt.substring(semicolon + 1));
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("[\\r\\n\\t]+", " ").strip();
        return line.length() <= MAX_FIELD_TEXT ? line : line.substring(0, MAX_FIELD_TEXT) + "...";
    }

    private static boolean endsWithLineBreak(byte[] bytes) {
        return bytes.length > 0 && bytes[bytes.length - 1] == '\n';
    }

    static boolean ascii(String text) {
        return text.chars().allMatch(c -> c < 0x80);
    }

    static boolean ascii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static void text(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
