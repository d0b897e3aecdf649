package org.stsrelay.policy.dns;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How answers are validated.
 *
 * @param mode where the security status comes from
 * @param trustAnchors a zone-format file of DS or DNSKEY records replacing the built-in root anchors
 * @param checkPeriod how often the resolvers are checked to deliver validatable DNSSEC data
 * @param cacheSize the most answers kept in the validated-answer cache
 */
public record DnssecSettings(DnssecMode mode, Optional<Path> trustAnchors, Duration checkPeriod, long cacheSize) {

    /** The defaults: in-process validation from the IANA root anchors, checked every 5 minutes, 10,000 answers. */
    public static final DnssecSettings DEFAULTS =
            new DnssecSettings(DnssecMode.VALIDATE, Optional.empty(), Duration.ofMinutes(5), 10_000);

    /** Validates the settings. */
    public DnssecSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(trustAnchors, "trustAnchors");
        if (checkPeriod.isNegative() || checkPeriod.isZero()) {
            throw new IllegalArgumentException("dnssec check period must be positive: " + checkPeriod);
        }
        if (cacheSize < 1) {
            throw new IllegalArgumentException("dnssec cache size must be >= 1: " + cacheSize);
        }
    }

    /** Returns these settings with another mode and anchor file. */
    public DnssecSettings with(DnssecMode newMode, Optional<Path> newAnchors) {
        return new DnssecSettings(newMode, newAnchors, checkPeriod, cacheSize);
    }
}
