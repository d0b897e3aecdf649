package org.stsrelay.world;

import java.util.Set;

/**
 * How an MX of the world behaves.
 *
 * @param startTls whether EHLO offers STARTTLS (RFC 3207)
 * @param certificate the certificate presented after STARTTLS
 * @param rejected recipients answered {@code 550 5.1.1} at RCPT, lower case
 * @param retain whether the MX keeps what it received (a benchmark sink only counts)
 * @param deferEvery every how many recipients, counted over the MX's sessions, one is answered {@code 451 4.3.0}
 *     at RCPT (0: none), so that a soak sees a steady share of deferrals
 */
public record MxOptions(
        boolean startTls, CertificateKind certificate, Set<String> rejected, boolean retain, int deferEvery) {

    public MxOptions {
        rejected = Set.copyOf(rejected);
        if (deferEvery < 0) {
            throw new IllegalArgumentException("deferEvery must be 0 (never) or positive: " + deferEvery);
        }
    }

    /** STARTTLS with a certificate of {@code kind}. */
    public static MxOptions tls(CertificateKind kind) {
        return new MxOptions(true, kind, Set.of(), true, 0);
    }

    /** No STARTTLS in EHLO: plaintext only. */
    public static MxOptions plaintextOnly() {
        return new MxOptions(false, CertificateKind.GOOD, Set.of(), true, 0);
    }

    /** The same, passing messages to the observer only, so a long benchmark does not fill the heap. */
    public MxOptions discarding() {
        return new MxOptions(startTls, certificate, rejected, false, deferEvery);
    }

    /** The same, rejecting {@code recipient} with a 5xx. */
    public MxOptions rejecting(String recipient) {
        return new MxOptions(
                startTls, certificate, Set.of(recipient.toLowerCase(java.util.Locale.ROOT)), retain, deferEvery);
    }

    /** The same, answering every RCPT with a 4xx: a destination whose queue only grows. */
    public MxOptions deferring() {
        return deferringEvery(1);
    }

    /** The same, deferring every {@code n}th recipient with a 4xx (0: none). */
    public MxOptions deferringEvery(int n) {
        return new MxOptions(startTls, certificate, rejected, retain, n);
    }
}
