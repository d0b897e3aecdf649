package org.stsrelay.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code received} section: the TLS-RPT reports that the organisation's own domains receive (RFC 8460), whether
 * posted to the owner site or imported from mail, and when a domain counts as ready for MTA-STS {@code enforce}.
 *
 * @param directory            where received reports are stored, one file per report
 * @param maxReportSize        largest report accepted as sent (gzipped or not)
 * @param maxExpandedSize      largest report accepted once decompressed: the bound against decompression bombs
 * @param readyDays            days of {@code testing} with reports before a domain may be ready for enforce
 * @param readyOrganisations   distinct reporting organisations needed over those days
 * @param metricsOrganisations organisations named in metric labels; the rest are {@code other}
 * @param maxPostedPerDay      reports posted to the owner site that are stored per UTC day of their period: with
 *                             posts limited to recent periods, the bound on what strangers can make the site store
 */
public record ReceivedConfig(
        Path directory,
        long maxReportSize,
        long maxExpandedSize,
        int readyDays,
        int readyOrganisations,
        int metricsOrganisations,
        int maxPostedPerDay) {

    /** The default of {@code received.max-posted-per-day}. */
    public static final int MAX_POSTED_PER_DAY = 10_000;

    /** The defaults, as in config/relay.yaml. */
    public static final ReceivedConfig DEFAULT =
            new ReceivedConfig(Path.of("data/received"), 10_000_000L, 50_000_000L, 14, 2, 10);

    /** Checks for null. */
    public ReceivedConfig {
        Objects.requireNonNull(directory, "directory");
    }

    /** The same with {@code max-posted-per-day} at its default. */
    public ReceivedConfig(
            Path directory,
            long maxReportSize,
            long maxExpandedSize,
            int readyDays,
            int readyOrganisations,
            int metricsOrganisations) {
        this(
                directory,
                maxReportSize,
                maxExpandedSize,
                readyDays,
                readyOrganisations,
                metricsOrganisations,
                MAX_POSTED_PER_DAY);
    }
}
