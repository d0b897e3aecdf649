package org.stsrelay.tlsrpt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits a report under the configured size (RFC 8460 §5 leaves the limit to the sender): failure-details
 * entries are dropped from the policy with the most entries first, a tenth of them at a time, until the
 * gzipped JSON fits. Summary counts stay complete, so the receiver still learns how many sessions failed.
 */
final class ReportSizeCap {

    private static final Logger LOG = LoggerFactory.getLogger(ReportSizeCap.class);

    private ReportSizeCap() {}

    static TlsReport fit(TlsReportJson json, DomainResults results, long maxGzipped) {
        TlsReport report = json.build(results);
        DomainResults current = results;
        int dropped = 0;
        while (ReportGzip.gzip(report.json()).length > maxGzipped) {
            List<PolicyResults> policies = new ArrayList<>(current.policies());
            PolicyResults largest = policies.stream()
                    .max(Comparator.comparingInt(p -> p.failureDetails().size()))
                    .orElseThrow();
            int n = largest.failureDetails().size();
            if (n == 0) {
                LOG.warn(
                        "TLS-RPT: report {} is over {} bytes gzipped even without failure details",
                        report.reportId(),
                        maxGzipped);
                break;
            }
            int cut = Math.max(1, n / 10);
            policies.set(
                    policies.indexOf(largest),
                    new PolicyResults(
                            largest.policy(),
                            largest.successes(),
                            largest.failures(),
                            largest.failureDetails().subList(0, n - cut)));
            dropped += cut;
            current = new DomainResults(current.policyDomain(), current.day(), policies);
            report = json.build(current);
        }
        if (dropped > 0) {
            LOG.warn(
                    "TLS-RPT: report {} truncated: {} failure-details entries dropped to fit {} bytes gzipped",
                    report.reportId(),
                    dropped,
                    maxGzipped);
        }
        return report;
    }
}
