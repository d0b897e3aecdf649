package org.stsrelay.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.delivery.TlsResult;
import org.stsrelay.delivery.TlsResultType;

class TlsResultJournalTest {

    private static final LocalDate DAY = LocalDate.parse("2024-03-10");

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Clock clock = Clock.fixed(Instant.parse("2024-03-10T12:00:00Z"), ZoneOffset.UTC);
    private final JournalFormat format = new JournalFormat();

    @Test
    void recordsComeBackFieldForField() throws IOException {
        try (TlsResultJournal journal = TlsResultJournal.open(dir, registry, clock)) {
            journal.record(Results.success("2024-03-10T08:00:00Z", "company-y.example"));
            journal.record(Results.failure(
                    "2024-03-10T09:00:00Z",
                    "company-y.example",
                    TlsResultType.CERTIFICATE_EXPIRED,
                    "mx2.mail.company-y.example",
                    "203.0.113.57",
                    "expired"));
            journal.record(Results.fetchError("2024-03-10T10:00:00Z", "other.example"));
        }

        List<JournalEntry> entries = format.readDay(dir, DAY);

        assertThat(entries).hasSize(3);
        JournalEntry ok = entries.get(0);
        assertThat(ok.success()).isTrue();
        assertThat(ok.policy().type()).isEqualTo(ReportedPolicy.PolicyType.STS);
        assertThat(ok.policy().policyString())
                .containsExactly(
                        "version: STSv1",
                        "mode: enforce",
                        "mx: mail.company-y.example",
                        "mx: *.mail.company-y.example",
                        "max_age: 86400");
        assertThat(ok.policy().mxHost()).containsExactly("mail.company-y.example", "*.mail.company-y.example");
        assertThat(ok.policyId()).contains("20240101T000000");
        assertThat(ok.helo()).contains("mx1.mail.company-y.example");
        JournalEntry failed = entries.get(1);
        assertThat(failed.resultType()).contains(TlsResultType.CERTIFICATE_EXPIRED);
        assertThat(failed.receivingIp()).contains("203.0.113.57");
        assertThat(failed.sendingIp()).contains("198.51.100.62");
        assertThat(failed.reasonCode()).contains("expired");
        assertThat(failed.helo()).isEmpty();
        JournalEntry fetch = entries.get(2);
        assertThat(fetch.policy()).isEqualTo(ReportedPolicy.noPolicyFound());
        assertThat(fetch.mxHost()).isEmpty();
        assertThat(fetch.at()).isEqualTo(Instant.parse("2024-03-10T10:00:00Z"));
    }

    @Test
    @DisplayName(
            "RFC 8460 §1.3, §4.4: a DANE result keeps policy-type tlsa, its records and the MX host as policy domain")
    void daneResultsComeBackAsTlsa() throws IOException {
        List<String> records = List.of("3 1 1 " + "ab".repeat(32), "2 1 1 " + "cd".repeat(32));
        try (TlsResultJournal journal = TlsResultJournal.open(dir, registry, clock)) {
            journal.record(Results.dane("2024-03-10T08:00:00Z", "mx1.company-y.example", records, Optional.empty()));
            journal.record(Results.dane(
                    "2024-03-10T09:00:00Z",
                    "mx1.company-y.example",
                    List.of(),
                    Optional.of(new TlsResult.Failure(TlsResultType.DNSSEC_INVALID, "the TLSA records are bogus"))));
        }

        List<JournalEntry> entries = format.readDay(dir, DAY);

        assertThat(entries).hasSize(2).allSatisfy(e -> {
            assertThat(e.policyDomain()).isEqualTo("mx1.company-y.example");
            assertThat(e.policy().type()).isEqualTo(ReportedPolicy.PolicyType.TLSA);
            assertThat(e.policy().mxHost()).isEmpty();
            assertThat(e.policyId()).isEmpty();
        });
        assertThat(entries.get(0).policy().policyString()).isEqualTo(records);
        assertThat(entries.get(1).resultType()).contains(TlsResultType.DNSSEC_INVALID);
        assertThat(entries.get(1).policy().policyString()).isEmpty();
    }

    @Test
    @DisplayName("RFC 8460 §4.1: a result at 23:59:59.999 UTC is that day's, one at 00:00:00.000 the next day's")
    void resultsSplitAtUtcMidnight() throws IOException {
        try (TlsResultJournal journal = TlsResultJournal.open(dir, registry, clock)) {
            journal.record(Results.success("2024-03-10T23:59:59.999Z", "company-y.example"));
            journal.record(Results.success("2024-03-11T00:00:00Z", "company-y.example"));
        }

        assertThat(format.readDay(dir, DAY))
                .extracting(JournalEntry::at)
                .containsExactly(Instant.parse("2024-03-10T23:59:59.999Z"));
        assertThat(format.readDay(dir, DAY.plusDays(1)))
                .extracting(JournalEntry::at)
                .containsExactly(Instant.parse("2024-03-11T00:00:00Z"));
        assertThat(JournalFormat.file(dir, DAY)).exists().hasFileName("results-2024-03-10.log");
    }

    @Test
    void tornTailIsIgnoredAndLaterAppendsSurvive() throws IOException {
        try (TlsResultJournal journal = TlsResultJournal.open(dir, registry, clock)) {
            journal.record(Results.success("2024-03-10T08:00:00Z", "company-y.example"));
        }
        Path file = JournalFormat.file(dir, DAY);
        byte[] torn = format.encode(JournalEntry.of(Results.success("2024-03-10T08:30:00Z", "company-y.example")));
        Files.write(file, java.util.Arrays.copyOf(torn, torn.length / 2), StandardOpenOption.APPEND);

        assertThat(format.readDay(dir, DAY)).hasSize(1);

        try (TlsResultJournal journal = TlsResultJournal.open(dir, registry, clock)) {
            journal.record(Results.success("2024-03-10T09:00:00Z", "company-y.example"));
        }
        assertThat(format.readDay(dir, DAY))
                .extracting(JournalEntry::at)
                .containsExactly(Instant.parse("2024-03-10T08:00:00Z"), Instant.parse("2024-03-10T09:00:00Z"));
    }

    @Test
    void aLineWithAWrongCrcIsSkipped() throws IOException {
        byte[] line = format.encode(JournalEntry.of(Results.success("2024-03-10T08:00:00Z", "company-y.example")));
        String text = new String(line, StandardCharsets.UTF_8);
        String flipped = text.replace("company-y", "company-z");
        Files.writeString(JournalFormat.file(dir, DAY), flipped + text);

        assertThat(format.readDay(dir, DAY)).hasSize(1);
    }

    @Test
    void resultsAreCountedByPolicyTypeAndResult() throws IOException {
        try (TlsResultJournal journal = TlsResultJournal.open(dir, registry, clock)) {
            journal.record(Results.success("2024-03-10T08:00:00Z", "company-y.example"));
            journal.record(Results.fetchError("2024-03-10T08:00:00Z", "other.example"));
        }

        assertThat(registry.get("sts.relay.tlsrpt.results")
                        .tags("policy_type", "sts", "result", "success")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(registry.get("sts.relay.tlsrpt.results")
                        .tags("policy_type", "no-policy-found", "result", "sts-policy-fetch-error")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void resultsAfterCloseAreDroppedAndCounted() throws IOException {
        TlsResultJournal journal = TlsResultJournal.open(dir, registry, clock);
        journal.close();

        journal.record(Results.success("2024-03-10T08:00:00Z", "company-y.example"));

        assertThat(registry.get("sts.relay.tlsrpt.results.dropped").counter().count())
                .isEqualTo(1.0);
        assertThat(format.readDay(dir, DAY)).isEmpty();
        assertThat(Optional.ofNullable(registry.find("sts.relay.tlsrpt.results").counter()))
                .isEmpty();
    }
}
