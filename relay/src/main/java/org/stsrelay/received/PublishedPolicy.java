package org.stsrelay.received;

import java.util.List;
import java.util.Optional;

/**
 * The MTA-STS policy a domain publishes now, to compare with what senders report they applied.
 *
 * @param lines  the policy lines (RFC 8461 §3.2)
 * @param id     the {@code id} of the {@code _mta-sts} TXT record (RFC 8461 §3.1), when it could be looked up
 * @param source where it was read: the owner site's file, or the domain's policy host
 */
public record PublishedPolicy(List<String> lines, Optional<String> id, String source) {

    /** Copies the lines. */
    public PublishedPolicy {
        lines = List.copyOf(lines);
    }

    /** The published mode, lower case, e.g. {@code testing}; empty if the policy has none. */
    public Optional<String> mode() {
        return PolicyLines.mode(lines);
    }
}
