package org.stsrelay.received;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/** Names the submitter of a report: the domain that makes its report-id unique (RFC 8460 §4.4). */
final class Submitters {

    private Submitters() {}

    /**
     * The given submitter (RFC 8460 §5.3 {@code TLS-Report-Submitter}), else the domain of {@code contact-info},
     * else the organisation name; lower case.
     */
    static String of(Optional<String> given, ReceivedReport report) {
        return given.map(String::strip)
                .filter(s -> !s.isEmpty())
                .or(() -> contactDomain(report.contactInfo()))
                .orElse(report.organizationName().strip())
                .toLowerCase(Locale.ROOT);
    }

    /** The domain of a contact: an address's domain, or a URI's host. */
    static Optional<String> contactDomain(String contact) {
        String text = contact.strip();
        int at = text.lastIndexOf('@');
        if (at >= 0) {
            String domain = text.substring(at + 1).replaceAll("[>\\s,;].*$", "");
            return domain.isEmpty() ? Optional.empty() : Optional.of(domain);
        }
        try {
            return Optional.ofNullable(new URI(text).getHost());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
