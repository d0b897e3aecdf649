package org.stsrelay.policy.dns;

/** Where DNSSEC answers get their security status. */
public enum DnssecMode {
    /** Validated in-process from the trust anchors (RFC 4035 §5). */
    VALIDATE,
    /** The AD bit of the configured resolvers is trusted; sound only with a validating resolver on this host. */
    RESOLVER,
    /** No DNSSEC: every answer is insecure. */
    OFF
}
