package org.stsrelay.dane;

/** Why usable TLSA records did not authenticate a server, each with its RFC 8460 §4.3 result type. */
public enum DaneFailure {
    /** The server presented no certificate at all. */
    NO_CERTIFICATE("validation-failure"),
    /** No record's association data matched any certificate or key it may match (RFC 8460 §4.3.2.1). */
    NO_MATCH("tlsa-invalid"),
    /** A DANE-TA(2) record matched, but the chain from the leaf up to that trust anchor does not verify. */
    CHAIN_INVALID("validation-failure"),
    /** A DANE-TA(2) record matched, but a certificate below the trust anchor has expired (RFC 8460 §4.3.1). */
    CHAIN_EXPIRED("certificate-expired"),
    /** A DANE-TA(2) record matched, but the leaf names none of the reference identifiers (RFC 7672 §3.2.2). */
    NAME_MISMATCH("certificate-host-mismatch");

    private final String resultType;

    DaneFailure(String resultType) {
        this.resultType = resultType;
    }

    /** The registered RFC 8460 §4.3 result type to report this failure under. */
    public String resultType() {
        return resultType;
    }
}
