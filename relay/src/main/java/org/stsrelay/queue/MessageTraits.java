package org.stsrelay.queue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.stsrelay.config.DeliveryConfig.TlsRequiredHeader;
import org.stsrelay.mail.HeaderSection;
import org.stsrelay.spool.Envelope;

/**
 * How a message's delivery is treated, decided from its envelope and, for {@code TLS-Required: No}
 * only, from its header section.
 *
 * @param tlsOptional policy failures do not stop it (RFC 8689 §4.2.2 {@code TLS-Required: No}; the relay's
 *                    own TLS reports, RFC 8460 §3)
 * @param reportable  its TLS results go to TLS-RPT; false for the relay's own TLS reports and DSNs about
 *                    them, so that a report's delivery is never itself reported
 */
record MessageTraits(boolean tlsOptional, boolean reportable) {

    static final MessageTraits ORDINARY = new MessageTraits(false, true);
    /** RFC 8460 §3, §5.3.1: reports go out despite TLS failures, and their delivery is not reported. */
    static final MessageTraits OWN_TLS_REPORT = new MessageTraits(true, false);

    static final MessageTraits TLS_NOT_REQUIRED = new MessageTraits(true, true);

    /** The header section is read up to here at most; a longer one is treated as if it ended there. */
    static final int MAX_HEADER_OCTETS = 256 * 1024;

    /**
     * The traits the envelope settles on its own; empty when only the header section can tell, that is
     * when a {@code TLS-Required: No} field would count.
     */
    static Optional<MessageTraits> of(Envelope envelope, TlsRequiredHeader tlsRequired) {
        // Only the relay sets the kind; header fields a client wrote (TLS-Report-Domain included) never do.
        if (envelope.kind().ownTlsReport()) {
            return Optional.of(OWN_TLS_REPORT);
        }
        // RFC 8689 §4.1: with the REQUIRETLS MAIL parameter, the TLS-Required header field MUST be ignored.
        if (tlsRequired == TlsRequiredHeader.IGNORE || envelope.params().requireTls()) {
            return Optional.of(ORDINARY);
        }
        return Optional.empty();
    }

    /** Reads the header section (up to the first empty line) from {@code content} of an ordinary message. */
    static MessageTraits scan(InputStream content) throws IOException {
        return ofHeader(HeaderSection.read(content, MAX_HEADER_OCTETS));
    }

    /** The traits of an ordinary message whose header section is {@code headerSection}. */
    static MessageTraits ofHeader(byte[] headerSection) {
        for (String field : HeaderSection.unfoldedFields(new String(headerSection, StandardCharsets.UTF_8))) {
            int colon = field.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = field.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            // RFC 8689 §3: the field's only defined value is "No"; case-insensitive.
            if (name.equals("tls-required") && field.substring(colon + 1).trim().equalsIgnoreCase("no")) {
                return TLS_NOT_REQUIRED;
            }
        }
        return ORDINARY;
    }
}
