package org.stsrelay.tlsrpt;

import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import org.stsrelay.config.TlsRptConfig;
import org.stsrelay.mail.MailDates;

/**
 * Builds the RFC 5322 message that carries one TLS-RPT report to a {@code mailto:} rua (RFC 8460 §5.3).
 *
 * <p>The MIME is written by hand rather than with Apache mime4j: the message is one fixed two-part
 * shape, and writing it directly keeps every byte the DKIM signature covers visible and exact.
 */
public final class ReportMailBuilder {

    private static final String CRLF = "\r\n";

    private final TlsRptConfig identity;
    private final String submitter;
    private final Clock clock;
    private final Supplier<String> messageIds;

    /**
     * @param identity   the {@code tlsrpt} configuration: From, contact-info (submitter), organization
     * @param clock      the time for the Date header
     * @param messageIds makes a new Message-ID ({@code left@right}, without angle brackets) per message
     */
    public ReportMailBuilder(TlsRptConfig identity, Clock clock, Supplier<String> messageIds) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.messageIds = Objects.requireNonNull(messageIds, "messageIds");
        // RFC 8460 §5.3: TLS-Report-Submitter MUST match the domain of contact-info; §5.1: A-labels.
        this.submitter = aLabel(identity.submitter());
        headerSafe("from", identity.from());
    }

    /** Message-IDs of the form {@code <random UUID>@<domain>}, for production use. */
    public static Supplier<String> randomMessageIds(String domain) {
        String right = aLabel(domain);
        return () -> UUID.randomUUID() + "@" + right;
    }

    /** Returns the complete message (CRLF line ends) carrying {@code report} to {@code recipient}. */
    public byte[] build(ReportMailInput report, String recipient) {
        headerSafe("recipient", recipient);
        String policyDomain = aLabel(report.policyDomain());
        String reportId = headerSafe("report id", report.reportId());
        long start = report.day().atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        long end = start + 86_399;
        // RFC 8460 §5.1: sender "!" policy-domain "!" begin-timestamp "!" end-timestamp "." extension.
        String filename = submitter + "!" + policyDomain + "!" + start + "!" + end + ".json.gz";
        String boundary = "=_tlsrpt_"
                + HexFormat.of().formatHex(reportId.getBytes(StandardCharsets.UTF_8), 0, Math.min(8, reportId.length()))
                + "_" + start;
        String messageId = headerSafe("message id", messageIds.get());

        StringBuilder mail = new StringBuilder(512);
        header(mail, "From", identity.from());
        header(mail, "To", recipient);
        // RFC 8460 §5.3 Subject: "Report" "Domain:" domain "Submitter:" domain "Report-ID:" "<" id ">".
        header(
                mail,
                "Subject",
                "Report Domain: " + policyDomain + " Submitter: " + submitter + " Report-ID: <" + reportId + ">");
        header(mail, "Date", MailDates.format(clock.instant()));
        header(mail, "Message-ID", "<" + messageId + ">");
        header(mail, "MIME-Version", "1.0");
        // RFC 8460 §5.3: these two header fields MUST be included.
        header(mail, "TLS-Report-Domain", policyDomain);
        header(mail, "TLS-Report-Submitter", submitter);
        // RFC 8689 §3: MTAs after this relay must deliver it despite TLS failures too (RFC 8460 §5.3.1); this
        // relay knows it is a report from its envelope, not from this field.
        header(mail, "TLS-Required", "No");
        // RFC 3834 §5: machine-generated, so receivers do not auto-reply.
        header(mail, "Auto-Submitted", "auto-generated");
        header(
                mail,
                "Content-Type",
                "multipart/report; report-type=\"tlsrpt\";" + CRLF + "\tboundary=\"" + boundary + "\"");
        mail.append(CRLF);
        mail.append("This is a TLS report (RFC 8460) in MIME format.").append(CRLF);

        // RFC 8460 §5.3 / RFC 6522: part 1 is human-readable.
        String summary = summary(policyDomain, report);
        boolean ascii = StandardCharsets.US_ASCII.newEncoder().canEncode(summary);
        mail.append(CRLF).append("--").append(boundary).append(CRLF);
        header(mail, "Content-Type", "text/plain; charset=" + (ascii ? "us-ascii" : "utf-8"));
        header(mail, "Content-Transfer-Encoding", ascii ? "7bit" : "base64");
        mail.append(CRLF);
        mail.append(ascii ? summary : base64(summary.getBytes(StandardCharsets.UTF_8)));

        // RFC 8460 §5.2/§5.3: the gzipped report as application/tlsrpt+gzip.
        mail.append(CRLF).append("--").append(boundary).append(CRLF);
        header(mail, "Content-Type", "application/tlsrpt+gzip");
        header(mail, "Content-Transfer-Encoding", "base64");
        header(mail, "Content-Disposition", "attachment;" + CRLF + "\tfilename=\"" + filename + "\"");
        mail.append(CRLF);
        mail.append(base64(ReportGzip.gzip(report.json())));
        mail.append(CRLF).append("--").append(boundary).append("--").append(CRLF);

        ByteArrayOutputStream out = new ByteArrayOutputStream(mail.length());
        out.writeBytes(mail.toString().getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private String summary(String policyDomain, ReportMailInput report) {
        return "This is an SMTP TLS report (RFC 8460) for the domain " + policyDomain + CRLF
                + "covering " + report.day() + " (00:00:00 to 23:59:59 UTC)." + CRLF
                + CRLF
                + "It was sent by " + identity.organizationName() + " (" + submitter + ")," + CRLF
                + "contact: " + identity.contactInfo() + "." + CRLF
                + "Report-ID: <" + report.reportId() + ">" + CRLF
                + CRLF
                + "The report itself is the attached gzipped JSON file." + CRLF;
    }

    private static String base64(byte[] bytes) {
        // RFC 2045 §6.8: lines of at most 76 characters.
        return Base64.getMimeEncoder(76, CRLF.getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(bytes)
                + CRLF;
    }

    private static void header(StringBuilder mail, String name, String value) {
        mail.append(name).append(": ").append(value).append(CRLF);
    }

    private static String headerSafe(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException(what + " contains a line break: " + value);
        }
        return value;
    }

    private static String aLabel(String domain) {
        return IDN.toASCII(headerSafe("domain", domain), IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    }
}
