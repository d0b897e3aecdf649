package org.stsrelay.received;

/** What became of one report body: stored, or refused with a reason a sender's operator can act on. */
public sealed interface IntakeResult {

    /**
     * Stored durably, or found stored already.
     *
     * @param report    the report as stored
     * @param duplicate whether it was stored before
     */
    record Accepted(StoredReport report, boolean duplicate) implements IntakeResult {}

    /**
     * Refused; nothing was stored.
     *
     * @param refusal the kind of refusal
     * @param reason  what is wrong, one line
     */
    record Refused(Refusal refusal, String reason) implements IntakeResult {}

    /** The kinds of refusal, each with the HTTP status the owner site answers. */
    enum Refusal {
        /** Neither application/tlsrpt+gzip nor application/tlsrpt+json. */
        MEDIA_TYPE(415),
        /** Larger than the cap, as sent or once decompressed. */
        TOO_LARGE(413),
        /** Broken gzip, not JSON, too deeply nested, or not an RFC 8460 report. */
        MALFORMED(400),
        /** The store could not write it; the sender should retry. */
        STORAGE(503),
        /** A posted report beyond {@code received.max-posted-per-day} for its day. */
        LIMIT(429);

        private final int httpStatus;

        Refusal(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        /** The HTTP status for this refusal. */
        public int httpStatus() {
            return httpStatus;
        }
    }
}
