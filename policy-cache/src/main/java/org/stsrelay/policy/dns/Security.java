package org.stsrelay.policy.dns;

/** The DNSSEC security status of an answer (RFC 4033 §5), weakest first. */
public enum Security {
    /** Validation failed: a signature or proof that should be there is missing or wrong. */
    BOGUS,
    /** No trust anchor covers the name, or the lookup failed, so its status cannot be known. */
    INDETERMINATE,
    /** Proven unsigned: an insecure delegation (no DS), or DNSSEC is not in use for this answer. */
    INSECURE,
    /** Validated from a trust anchor down to the answer, including proven denials. */
    SECURE;

    /** Returns the weaker of this and {@code other}; a chain is only as secure as its weakest link (RFC 7672 §2.2.2). */
    public Security weakest(Security other) {
        return compareTo(other) <= 0 ? this : other;
    }
}
