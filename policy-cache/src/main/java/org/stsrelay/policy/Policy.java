package org.stsrelay.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A fetched MTA-STS policy of one policy domain: everything delivery and TLS-RPT need.
 *
 * @param domain the policy domain, lower-case A-label form
 * @param id the {@code id} of the TXT record the policy was fetched for
 * @param document the parsed policy file with its raw text
 * @param fetchedAt when the policy file was fetched
 */
public record Policy(String domain, String id, PolicyDocument document, Instant fetchedAt) {

    /** Checks the domain and id. */
    public Policy {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(fetchedAt, "fetchedAt");
        if (!DomainNames.isNormal(domain)) {
            throw new IllegalArgumentException("not a normalised domain: " + domain);
        }
        if (!StsRecordParser.isId(id)) {
            throw new IllegalArgumentException("invalid id: " + id);
        }
    }

    /** Returns the policy mode. */
    public Mode mode() {
        return document.mode();
    }

    /** Returns the mx patterns. */
    public List<MxPattern> mx() {
        return document.mx();
    }

    /** Returns max_age. */
    public Duration maxAge() {
        return document.maxAge();
    }

    /** Returns the policy file as fetched. */
    public String text() {
        return document.text();
    }

    /** Returns the policy lines for TLS-RPT's {@code policy-string} (RFC 8460 §4.5). */
    public List<String> lines() {
        return document.lines();
    }

    /** Tells whether the MX host {@code host} matches one of the policy's patterns (RFC 8461 §4.1). */
    public boolean matchesMx(String host) {
        return document.matchesMx(host);
    }
}
