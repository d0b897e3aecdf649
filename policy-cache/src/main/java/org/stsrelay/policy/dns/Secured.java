package org.stsrelay.policy.dns;

import java.util.Objects;

/**
 * A DNS answer with its DNSSEC security status.
 *
 * @param answer the answer; a secure {@link DnsResult.NxDomain} or {@link DnsResult.NoData} is a proven denial
 * @param security how far the answer can be trusted (RFC 4033 §5)
 * @param reason why it has that status, for logs and diagnoses
 * @param <T> the record data type
 */
public record Secured<T>(DnsResult<T> answer, Security security, String reason) {

    /** Validates the parts. */
    public Secured {
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(reason, "reason");
    }

    /** Returns whether the answer is a validated denial (NXDOMAIN or NODATA proven by NSEC/NSEC3, RFC 4035 §5.4). */
    public boolean isSecureDenial() {
        return security == Security.SECURE
                && (answer instanceof DnsResult.NxDomain<T> || answer instanceof DnsResult.NoData<T>);
    }
}
