package org.stsrelay.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code owner-site} section: the optional HTTPS listener for the organisation's own receiving domains. It serves
 * {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} (RFC 8461 §3.2) and takes {@code POST /tlsrpt} reports
 * (RFC 8460 §3). Off by default.
 *
 * @param listen           where it listens; empty: off
 * @param domainsDirectory one directory per owned domain: {@code mta-sts.txt}, {@code cert.pem}, {@code key.pem}
 * @param reloadInterval   how often the directory is looked at for changed files
 */
public record OwnerSiteConfig(Optional<HostPort> listen, Path domainsDirectory, Duration reloadInterval) {

    /** Off: the default. */
    public static final OwnerSiteConfig OFF =
            new OwnerSiteConfig(Optional.empty(), Path.of("data/owner-site"), Duration.ofSeconds(5));

    /** Checks for nulls. */
    public OwnerSiteConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(domainsDirectory, "domainsDirectory");
        Objects.requireNonNull(reloadInterval, "reloadInterval");
    }

    /** Tells whether the owner site listens. */
    public boolean enabled() {
        return listen.isPresent();
    }
}
