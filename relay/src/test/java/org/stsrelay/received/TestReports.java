package org.stsrelay.received;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.stsrelay.config.ReceivedConfig;

/** Hand-built received reports for tests. */
public final class TestReports {

    /** "Today" in every test: 2026-03-10, noon UTC. */
    public static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-10T12:00:00Z"), ZoneOffset.UTC);

    /** Two days of testing from two organisations make a domain ready. */
    public static final ReceivedConfig CONFIG =
            new ReceivedConfig(ReceivedConfig.DEFAULT.directory(), 10_000_000L, 50_000_000L, 2, 2, 10);

    /** The policy example.com publishes in testing. */
    public static final List<String> TESTING =
            List.of("version: STSv1", "mode: testing", "mx: mx1.example.com", "mx: mx2.example.com", "max_age: 604800");

    /** The same policy, in enforce. */
    public static final List<String> ENFORCE =
            List.of("version: STSv1", "mode: enforce", "mx: mx1.example.com", "mx: mx2.example.com", "max_age: 604800");

    private TestReports() {}

    /** A report by {@code organisation} for the UTC day {@code day}. */
    public static StoredReport report(String organisation, String day, ReportedPolicy... policies) {
        Instant start = LocalDate.parse(day).atStartOfDay(ZoneOffset.UTC).toInstant();
        String submitter = organisation.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "") + ".example";
        ReceivedReport report = new ReceivedReport(
                organisation,
                start,
                start.plusSeconds(86_399),
                "mailto:tls@" + submitter,
                day + "-" + submitter + "-" + policies.length,
                List.of(policies));
        return new StoredReport(
                report, submitter, Origin.HTTPS, start.plusSeconds(90_000), DkimCheck.NOT_MAIL, List.of());
    }

    /** An sts policy of example.com as applied, with its sessions. */
    public static ReportedPolicy sts(List<String> lines, long successful, ReportedFailure... failures) {
        return policy("example.com", "sts", lines, successful, failures);
    }

    /** A policy as applied. */
    public static ReportedPolicy policy(
            String domain, String type, List<String> lines, long successful, ReportedFailure... failures) {
        long failed = 0;
        for (ReportedFailure f : failures) {
            failed += f.failedSessionCount();
        }
        return new ReportedPolicy(
                type,
                lines,
                domain,
                List.of("mx1.example.com", "mx2.example.com"),
                successful,
                failed,
                List.of(failures));
    }

    /** A failure detail. */
    public static ReportedFailure failure(String resultType, String mx, String ip, long count, String reason) {
        return new ReportedFailure(
                resultType,
                Optional.of("198.51.100.7"),
                Optional.of(mx),
                Optional.empty(),
                Optional.of(ip),
                count,
                Optional.empty(),
                Optional.of(reason));
    }

    /** Published-policy lookups that always find {@code lines}. */
    public static PublishedPolicies published(List<String> lines) {
        return domain -> new PublishedLookup.Found(new PublishedPolicy(lines, Optional.of("20260301"), "test"));
    }

    /** Published-policy lookups that never find one. */
    public static PublishedPolicies unknown() {
        return domain -> new PublishedLookup.Unknown("not looked up in this test");
    }

    /** A summary builder over the test config and clock. */
    public static SummaryBuilder builder(PublishedPolicies published) {
        return new SummaryBuilder(CONFIG, published, CLOCK);
    }
}
