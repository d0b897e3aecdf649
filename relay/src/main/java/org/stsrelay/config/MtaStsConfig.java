package org.stsrelay.config;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.stsrelay.policy.cache.CacheSettings;
import org.stsrelay.policy.fetch.FetchSettings;

/**
 * The {@code mta-sts} section: where policies are kept and how they are fetched (RFC 8461).
 *
 * @param storeDirectory       the persistent policy store; {@code control/} inside it takes operator requests
 * @param idRecheckInterval    how often, at most, a cached policy's TXT {@code id} is re-checked (RFC 8461 §3)
 * @param requireTextPlain     whether a policy served with another media type is invalid (RFC 8461 §3.2)
 * @param fetchConnectTimeout  time allowed to open the HTTPS connection to a policy host
 * @param fetchTimeout         time allowed for a whole policy fetch (RFC 8461 §3.3 suggests one minute)
 * @param maxConcurrentFetches policy fetches in flight at once
 * @param fetchPort            the policy hosts' HTTPS port; 443, other values only for tests
 * @param enforcement          published: apply policies as published; report-only: treat enforce as testing
 */
public record MtaStsConfig(
        Path storeDirectory,
        Duration idRecheckInterval,
        boolean requireTextPlain,
        Duration fetchConnectTimeout,
        Duration fetchTimeout,
        int maxConcurrentFetches,
        int fetchPort,
        Enforcement enforcement) {

    /** Relay-wide switch: obey published {@code enforce} policies, or only report what they would refuse. */
    public enum Enforcement {
        PUBLISHED,
        REPORT_ONLY
    }

    /** The policy module's cache settings: these values, the module's defaults for the rest. */
    public CacheSettings cacheSettings() {
        CacheSettings d = CacheSettings.DEFAULTS;
        return new CacheSettings(
                idRecheckInterval,
                d.failureBackoff(),
                d.refreshAhead(),
                d.refreshJitter(),
                d.maxConcurrentRefreshes(),
                d.idleEviction(),
                d.maxEntries());
    }

    /** The policy module's fetch settings, trusting {@code extraCertificates} besides the system's CAs. */
    public FetchSettings fetchSettings(List<X509Certificate> extraCertificates) {
        FetchSettings d = FetchSettings.DEFAULTS;
        return new FetchSettings(
                fetchPort,
                fetchConnectTimeout,
                fetchTimeout,
                d.maxBodyBytes(),
                maxConcurrentFetches,
                requireTextPlain,
                extraCertificates);
    }
}
