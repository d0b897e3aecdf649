package org.stsrelay.owner;

import io.netty.handler.ssl.SslContext;
import java.util.Objects;

/**
 * One owned domain as served: its policy file's bytes and the TLS context for {@code mta-sts.<domain>}.
 *
 * @param domain  the policy domain, normalised
 * @param policy  the policy file exactly as on disk; never modified after construction
 * @param context the server context with the domain's certificate
 * @param stamp   the stamps of the files it was loaded from
 */
record OwnedDomain(String domain, byte[] policy, SslContext context, SiteFiles.Stamp stamp) {

    OwnedDomain {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(stamp, "stamp");
    }

    /** The policy host, {@code mta-sts.<domain>} (RFC 8461 §3.3). */
    String host() {
        return SiteSnapshot.POLICY_HOST_PREFIX + domain;
    }
}
