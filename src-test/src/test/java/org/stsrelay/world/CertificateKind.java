package org.stsrelay.world;

/** The certificate an MX presents, one per way a certificate can fail RFC 8461 §4.2 validation. */
public enum CertificateKind {
    /** Issued by the test CA for the MX's own name: validates. */
    GOOD,
    /** Issued by the test CA for the MX's name, but its validity ended yesterday. */
    EXPIRED,
    /** Issued by the test CA for the MX's name, but its validity begins tomorrow. */
    NOT_YET_VALID,
    /** Signed by its own key, naming the MX: no chain to a trusted root. */
    SELF_SIGNED,
    /** Issued by the test CA, valid, but for another host name. */
    WRONG_HOST,
    /** Issued for the MX's name by a second CA the relay does not trust. */
    UNTRUSTED
}
