package org.stsrelay.world;

import java.util.Set;

/**
 * How an MX of the world behaves.
 *
 * @param startTls whether EHLO offers STARTTLS (RFC 3207)
 * @param certificate the certificate presented after STARTTLS
 * @param rejected recipients answered {@code 550 5.1.1} at RCPT, lower case
 * @param retain whether the MX keeps what it received (a benchmark sink only counts)
 * @param deferAll whether every RCPT is answered {@code 451 4.3.0}, so that nothing is ever accepted
 */
public record MxOptions(
        boolean startTls, CertificateKind certificate, Set<String> rejected, boolean retain, boolean deferAll) {

    public MxOptions {
        rejected = Set.copyOf(rejected);
    }

    /** An MX that accepts what it is not told to reject. */
    public MxOptions(boolean startTls, CertificateKind certificate, Set<String> rejected, boolean retain) {
        this(startTls, certificate, rejected, retain, false);
    }

    /** STARTTLS with a certificate of {@code kind}. */
    public static MxOptions tls(CertificateKind kind) {
        return new MxOptions(true, kind, Set.of(), true);
    }

    /** No STARTTLS in EHLO: plaintext only. */
    public static MxOptions plaintextOnly() {
        return new MxOptions(false, CertificateKind.GOOD, Set.of(), true);
    }

    /** The same, passing messages to the observer only, so a long benchmark does not fill the heap. */
    public MxOptions discarding() {
        return new MxOptions(startTls, certificate, rejected, false, deferAll);
    }

    /** The same, rejecting {@code recipient} with a 5xx. */
    public MxOptions rejecting(String recipient) {
        return new MxOptions(
                startTls, certificate, Set.of(recipient.toLowerCase(java.util.Locale.ROOT)), retain, deferAll);
    }

    /** The same, answering every RCPT with a 4xx: a destination whose queue only grows. */
    public MxOptions deferring() {
        return new MxOptions(startTls, certificate, rejected, retain, true);
    }
}
