package org.stsrelay.policy.dns;

/**
 * Whether DNSSEC answers can currently be validated.
 *
 * @param mode the configured mode
 * @param available whether the last check validated the anchor zone's DNSKEY RRset; false when {@code off}
 * @param reason what the last check found, for logs and {@code check}
 */
public record DnssecStatus(DnssecMode mode, boolean available, String reason) {}
