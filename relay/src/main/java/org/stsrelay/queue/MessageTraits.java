package org.stsrelay.queue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What a message's header section says about how its delivery is treated.
 *
 * @param tlsOptional policy failures do not stop it (RFC 8689 §5 {@code TLS-Required: No}; TLS reports, RFC 8460 §3)
 * @param reportable  its TLS results go to TLS-RPT; false for TLS reports and DSNs about them, so that a
 *                    report's delivery is never itself reported
 */
record MessageTraits(boolean tlsOptional, boolean reportable) {

    /** Marks a DSN the relay generated about a TLS report: it is treated like the report itself. */
    static final String DSN_OF_TLS_REPORT_FIELD = "X-Sts-Relay-Dsn-Of-Tls-Report";

    static final MessageTraits ORDINARY = new MessageTraits(false, true);

    /** The header section is read up to here at most; a longer one is treated as if it ended there. */
    static final int MAX_HEADER_OCTETS = 256 * 1024;

    /** Reads the header section (up to the first empty line) from {@code content} and classifies the message. */
    static MessageTraits scan(InputStream content) throws IOException {
        return of(HeaderSection.read(content, MAX_HEADER_OCTETS));
    }

    static MessageTraits of(byte[] headerSection) {
        boolean tlsRequiredNo = false;
        boolean tlsReport = false;
        for (String field : HeaderSection.unfoldedFields(new String(headerSection, StandardCharsets.UTF_8))) {
            int colon = field.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = field.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = field.substring(colon + 1).trim();
            // RFC 8689 §5: the field's only defined value is "No"; case-insensitive.
            if (name.equals("tls-required") && value.equalsIgnoreCase("no")) {
                tlsRequiredNo = true;
            } else if (name.equals("tls-report-domain")
                    || name.equals(DSN_OF_TLS_REPORT_FIELD.toLowerCase(Locale.ROOT))) {
                tlsReport = true;
            }
        }
        if (tlsReport) {
            // RFC 8460 §3: reports are sent even when the recipient's policy would refuse the connection.
            return new MessageTraits(true, false);
        }
        return new MessageTraits(tlsRequiredNo, true);
    }
}
