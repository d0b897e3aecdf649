package org.stsrelay.received;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stsrelay.received.TestReports.ENFORCE;
import static org.stsrelay.received.TestReports.TESTING;
import static org.stsrelay.received.TestReports.failure;
import static org.stsrelay.received.TestReports.report;
import static org.stsrelay.received.TestReports.sts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class VerdictTest {

    private static final List<StoredReport> READY = List.of(
            report("Google Inc.", "2026-03-09", sts(TESTING, 100)),
            report("Microsoft Corporation", "2026-03-10", sts(TESTING, 40)));

    private static Verdict verdict(List<StoredReport> reports, PublishedPolicies published) throws Exception {
        return TestReports.builder(published)
                .read(new MemoryReceivedStore(reports), Optional.of("example.com"), 2)
                .domains()
                .get(0)
                .verdict();
    }

    private static Verdict verdict(List<StoredReport> reports) throws Exception {
        return verdict(reports, TestReports.published(TESTING));
    }

    private static List<StoredReport> with(StoredReport extra) {
        List<StoredReport> all = new ArrayList<>(READY);
        all.add(extra);
        return all;
    }

    @Test
    @DisplayName("RFC 8461 §5: enough days of testing from enough organisations, no failures: ready for enforce")
    void ready() throws Exception {
        Verdict v = verdict(READY);
        assertThat(v.ready()).isTrue();
        assertThat(v.headline()).isEqualTo("ready for enforce");
        assertThat(v.blockers()).isEmpty();
        assertThat(v.testingDays()).isEqualTo(2);
        assertThat(v.organisations()).isEqualTo(2);
    }

    @Test
    void tooFewDays() throws Exception {
        Verdict v = verdict(List.of(
                report("Google Inc.", "2026-03-10", sts(TESTING, 100)),
                report("Microsoft Corporation", "2026-03-10", sts(TESTING, 40))));
        assertThat(v.ready()).isFalse();
        assertThat(v.blockers()).containsExactly("too few days of reports in testing: 1 of 2");
    }

    @Test
    void tooFewOrganisations() throws Exception {
        Verdict v = verdict(List.of(
                report("Google Inc.", "2026-03-09", sts(TESTING, 100)),
                report("Google Inc.", "2026-03-10", sts(TESTING, 40))));
        assertThat(v.blockers()).containsExactly("too few organisations reporting testing: 1 of 2");
    }

    @Test
    void noReports() throws Exception {
        Verdict v = verdict(List.of());
        assertThat(v.ready()).isFalse();
        assertThat(v.blockers()).first().isEqualTo("no reports in the last 2 days");
    }

    @Test
    @DisplayName("RFC 8460 §4.3.1: a negotiation failure under sts blocks enforce, named with org, day, MX, IP")
    void negotiationFailureBlocks() throws Exception {
        Verdict v = verdict(with(report(
                "Yahoo",
                "2026-03-10",
                sts(TESTING, 5, failure("certificate-host-mismatch", "mx2.example.com", "192.0.2.2", 4, "SAN")))));
        assertThat(v.ready()).isFalse();
        assertThat(v.blockers())
                .containsExactly("failures: Yahoo on 2026-03-10: 4 x certificate-host-mismatch at mx2.example.com"
                        + " (192.0.2.2): SAN");
    }

    @Test
    @DisplayName("RFC 8460 §4.3.2.2 with RFC 8461 §5: a policy fetch failure is noted but does not block")
    void policyFetchFailureDoesNotBlock() throws Exception {
        Verdict v = verdict(with(report(
                "Yahoo",
                "2026-03-10",
                sts(TESTING, 5, failure("sts-policy-fetch-error", "mx1.example.com", "192.0.2.1", 2, "timeout")))));
        assertThat(v.ready()).isTrue();
        assertThat(v.notes()).anyMatch(n -> n.startsWith("2 failed sessions that enforce would not refuse"));
    }

    @Test
    void alreadyEnforce() throws Exception {
        Verdict v = verdict(READY, TestReports.published(ENFORCE));
        assertThat(v.ready()).isFalse();
        assertThat(v.blockers()).anyMatch(b -> b.startsWith("already enforce: the published policy"));
    }

    @Test
    void alreadyEnforceSeenInReportsWhenThePublishedPolicyIsUnknown() throws Exception {
        Verdict v = verdict(List.of(report("Google Inc.", "2026-03-10", sts(ENFORCE, 100))), TestReports.unknown());
        assertThat(v.blockers()).contains("already enforce: Google Inc. applied mode: enforce on 2026-03-10");
        assertThat(v.notes()).anyMatch(n -> n.startsWith("published policy unknown"));
    }
}
