package org.stsrelay.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code tlsrpt} section: recording TLS results and sending the daily RFC 8460 reports.
 *
 * @param enabled           record results and send reports
 * @param directory         the result journal and report state
 * @param organizationName  report {@code organization-name}
 * @param contactInfo       report {@code contact-info} (an address); its domain is the submitter
 * @param from              From: of report mail
 * @param dkim              DKIM signing of report mail; empty: unsigned (warned at start-up)
 * @param onlyFailures      send a domain's report only for days with failures
 * @param suppress          addresses and domains that never get reports
 * @param sendWindow        reports are spread over this long after 00:00 UTC
 * @param retryFor          each destination is retried for this long (RFC 8460 §5.5: up to 24 hours)
 * @param maxReportSize     largest report sent (gzipped), failure details are cut to fit
 */
public record TlsRptConfig(
        boolean enabled,
        Path directory,
        String organizationName,
        String contactInfo,
        String from,
        Optional<Dkim> dkim,
        boolean onlyFailures,
        List<String> suppress,
        Duration sendWindow,
        Duration retryFor,
        long maxReportSize) {

    public TlsRptConfig {
        suppress = List.copyOf(suppress);
    }

    /** The submitter domain: the domain of {@code contact-info} (RFC 8460 §5.3 TLS-Report-Submitter). */
    public String submitter() {
        return contactInfo.substring(contactInfo.lastIndexOf('@') + 1);
    }

    /**
     * A DKIM key (RFC 6376).
     *
     * @param domain     d= (the submitter domain, as a rule)
     * @param selector   s=
     * @param privateKey PEM file of the RSA (or Ed25519) private key
     */
    public record Dkim(String domain, String selector, Path privateKey) {}
}
