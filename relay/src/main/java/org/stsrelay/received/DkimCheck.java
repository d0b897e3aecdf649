package org.stsrelay.received;

/**
 * What the DKIM signature of a mailed report showed (RFC 8460 §3: reports sent by mail SHOULD be DKIM-signed).
 *
 * @param status the outcome
 * @param detail the signing domain and selector, or why the check could not be made
 */
public record DkimCheck(Status status, String detail) {

    /** Not mail: a report posted over HTTPS or read from a file has no signature to check. */
    public static final DkimCheck NOT_MAIL = new DkimCheck(Status.NOT_APPLICABLE, "not a mailed report");

    /** The outcomes. */
    public enum Status {
        /** A signature verified with the key published for its domain and selector. */
        PASS,
        /** A signature did not verify. */
        FAIL,
        /** The message carries no DKIM signature. */
        NONE,
        /** The key could not be fetched, so the signature could not be checked. */
        UNKNOWN,
        /** Not a mailed report. */
        NOT_APPLICABLE
    }
}
