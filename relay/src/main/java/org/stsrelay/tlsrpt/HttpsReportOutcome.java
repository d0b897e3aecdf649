package org.stsrelay.tlsrpt;

/** The result of one HTTPS report submission (RFC 8460 §5.4); a failure is a value, to be retried by policy. */
public sealed interface HttpsReportOutcome {

    /** The receiver answered 2xx ("typically a 200 or 201", RFC 8460 §5.4). */
    record Delivered(int status) implements HttpsReportOutcome {}

    /** Anything else: another status, a TLS or connection error, or a timeout; {@code reason} says which. */
    record Failed(String reason) implements HttpsReportOutcome {}
}
