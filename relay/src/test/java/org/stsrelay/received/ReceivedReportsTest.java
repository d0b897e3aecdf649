package org.stsrelay.received;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.config.ReceivedConfig;
import org.stsrelay.received.IntakeResult.Refusal;

class ReceivedReportsTest {

    private static final Instant NOW = Instant.parse("2024-11-09T06:00:00Z");

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private ReceivedReports intake(ReceivedStore store) {
        return new ReceivedReports(ReceivedConfig.DEFAULT, store, Clock.fixed(NOW, ZoneOffset.UTC), registry);
    }

    @Test
    @DisplayName("RFC 8460 §6.4: a gzipped report is stored with its original text, submitter and arrival")
    void aGzippedReportIsStored() throws Exception {
        FileReceivedStore store = new FileReceivedStore(dir);

        IntakeResult result = intake(store)
                .accept(
                        Reports.gzip(Reports.APPENDIX_B),
                        "application/tlsrpt+gzip",
                        Origin.FILE,
                        Optional.empty(),
                        DkimCheck.NOT_MAIL);

        assertThat(result).isInstanceOf(IntakeResult.Accepted.class);
        StoredReport stored = ((IntakeResult.Accepted) result).report();
        assertThat(stored.submitter()).isEqualTo("company-x.example");
        assertThat(stored.receivedAt()).isEqualTo(NOW);
        assertThat(stored.json()).isEqualTo(Reports.APPENDIX_B);
        assertThat(store.reports(LocalDate.parse("2016-04-01"), LocalDate.parse("2016-04-02")))
                .containsExactly(stored);
        assertThat(count("file", "stored")).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8460 §4.1: a posted report must cover a recent period; an imported one may be old")
    void aPostedReportOfAnOldPeriodIsRefused() {
        ReceivedReports intake = intake(new FileReceivedStore(dir));

        IntakeResult posted = intake.accept(
                Reports.utf8(Reports.APPENDIX_B),
                "application/tlsrpt+json",
                Origin.HTTPS,
                Optional.empty(),
                DkimCheck.NOT_MAIL);
        IntakeResult imported = intake.accept(
                Reports.utf8(Reports.APPENDIX_B),
                "application/tlsrpt+json",
                Origin.FILE,
                Optional.empty(),
                DkimCheck.NOT_MAIL);

        assertThat(posted).isInstanceOf(IntakeResult.Refused.class);
        assertThat(((IntakeResult.Refused) posted).refusal()).isEqualTo(Refusal.MALFORMED);
        assertThat(((IntakeResult.Refused) posted).reason()).contains("is not recent");
        assertThat(imported).isInstanceOf(IntakeResult.Accepted.class);
    }

    @Test
    @DisplayName("RFC 8460 §3: posted reports stored per day are bounded; beyond received.max-posted-per-day, 429")
    void postsBeyondTheDailyBoundAreRefused() {
        ReceivedConfig two = new ReceivedConfig(dir, 10_000_000L, 50_000_000L, 14, 2, 10, 2);
        ReceivedReports intake =
                new ReceivedReports(two, new FileReceivedStore(dir), Clock.fixed(NOW, ZoneOffset.UTC), registry);

        List<IntakeResult> results = List.of("a", "b", "c").stream()
                .map(id -> intake.accept(
                        Reports.utf8(Reports.GOOGLE_STYLE.replace("\"report-id\":\"", "\"report-id\":\"" + id)),
                        "application/tlsrpt+json",
                        Origin.HTTPS,
                        Optional.empty(),
                        DkimCheck.NOT_MAIL))
                .toList();

        assertThat(results.subList(0, 2)).allMatch(r -> r instanceof IntakeResult.Accepted);
        assertThat(results.get(2)).isInstanceOf(IntakeResult.Refused.class);
        assertThat(((IntakeResult.Refused) results.get(2)).refusal().httpStatus())
                .isEqualTo(429);
        assertThat(count("https", "limit")).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8460 §5.3: the TLS-Report-Submitter names the submitter, lower case")
    void aGivenSubmitterIsUsed() {
        IntakeResult result = intake(new FileReceivedStore(dir))
                .accept(
                        Reports.utf8(Reports.GOOGLE_STYLE),
                        "application/tlsrpt+json",
                        Origin.MAIL,
                        Optional.of(" Google.COM "),
                        new DkimCheck(DkimCheck.Status.NONE, "no DKIM-Signature"),
                        List.of("found as application/gzip"));

        StoredReport stored = ((IntakeResult.Accepted) result).report();
        assertThat(stored.submitter()).isEqualTo("google.com");
        assertThat(stored.notes()).containsExactly("found as application/gzip");
        assertThat(stored.dkim().status()).isEqualTo(DkimCheck.Status.NONE);
    }

    @Test
    void withoutContactInfoTheSubmitterIsTheOrganisation() {
        IntakeResult result = intake(new FileReceivedStore(dir))
                .accept(
                        Reports.utf8(Reports.GOOGLE_STYLE.replace(
                                "\"contact-info\":\"smtp-tls-reporting@google.com\",", "")),
                        "application/tlsrpt+json",
                        Origin.FILE,
                        Optional.empty(),
                        DkimCheck.NOT_MAIL);

        assertThat(((IntakeResult.Accepted) result).report().submitter()).isEqualTo("google inc.");
    }

    @Test
    @DisplayName("RFC 8460 §4.4: the same report twice is stored once and answered as a duplicate")
    void aSecondCopyIsADuplicate() {
        ReceivedReports intake = intake(new FileReceivedStore(dir));
        byte[] body = Reports.utf8(Reports.GOOGLE_STYLE);

        intake.accept(body, "application/tlsrpt+json", Origin.HTTPS, Optional.empty(), DkimCheck.NOT_MAIL);
        IntakeResult second =
                intake.accept(body, "application/tlsrpt+json", Origin.HTTPS, Optional.empty(), DkimCheck.NOT_MAIL);

        assertThat(((IntakeResult.Accepted) second).duplicate()).isTrue();
        assertThat(count("https", "duplicate")).isEqualTo(1);
    }

    @Test
    void everyRefusalIsCountedByItsKind() {
        ReceivedReports intake = intake(new FileReceivedStore(dir));

        IntakeResult mediaType = intake.accept(
                Reports.utf8(Reports.GOOGLE_STYLE), "text/plain", Origin.HTTPS, Optional.empty(), DkimCheck.NOT_MAIL);
        IntakeResult malformed = intake.accept(
                Reports.utf8("[]"), "application/tlsrpt+json", Origin.FILE, Optional.empty(), DkimCheck.NOT_MAIL);

        assertThat(((IntakeResult.Refused) mediaType).refusal()).isEqualTo(Refusal.MEDIA_TYPE);
        assertThat(((IntakeResult.Refused) malformed).refusal()).isEqualTo(Refusal.MALFORMED);
        assertThat(count("https", "media_type")).isEqualTo(1);
        assertThat(count("file", "malformed")).isEqualTo(1);
    }

    @Test
    void aStoreThatCannotWriteIsAStorageRefusal() {
        ReceivedStore broken = new ReceivedStore() {
            @Override
            public Stored store(StoredReport report) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public List<StoredReport> reports(LocalDate from, LocalDate until) {
                return List.of();
            }
        };

        IntakeResult result = intake(broken)
                .accept(
                        Reports.utf8(Reports.GOOGLE_STYLE),
                        "application/tlsrpt+json",
                        Origin.HTTPS,
                        Optional.empty(),
                        DkimCheck.NOT_MAIL);

        assertThat(result)
                .isEqualTo(new IntakeResult.Refused(
                        Refusal.STORAGE, "the report could not be stored: No space left on device"));
        assertThat(count("https", "storage")).isEqualTo(1);
    }

    private double count(String origin, String outcome) {
        return registry.get(ReceivedReports.METER)
                .tag("origin", origin)
                .tag("outcome", outcome)
                .counter()
                .count();
    }
}
