package org.stsrelay.received;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileReceivedStoreTest {

    private static final Instant RECEIVED = Instant.parse("2024-11-09T06:00:00Z");
    private static final LocalDate DAY = LocalDate.parse("2024-11-08");

    @TempDir
    Path dir;

    @Test
    @DisplayName("RFC 8460 §4.4: a report-id is unique per submitter, so a second copy is a duplicate")
    void sameSubmitterAndReportIdIsStoredOnce() throws Exception {
        FileReceivedStore store = new FileReceivedStore(dir);

        ReceivedStore.Stored first = store.store(stored(Reports.GOOGLE_STYLE, "google.com"));
        ReceivedStore.Stored second = store.store(stored(Reports.GOOGLE_STYLE, "google.com"));

        assertThat(first).isEqualTo(ReceivedStore.Stored.STORED);
        assertThat(second).isEqualTo(ReceivedStore.Stored.DUPLICATE);
        assertThat(store.reports(DAY, DAY.plusDays(1))).hasSize(1);
    }

    @Test
    @DisplayName("RFC 8460 §4.4: the same report-id from two submitters is two reports")
    void sameReportIdFromTwoSubmittersIsStoredTwice() throws Exception {
        FileReceivedStore store = new FileReceivedStore(dir);

        store.store(stored(Reports.GOOGLE_STYLE, "google.com"));
        ReceivedStore.Stored other = store.store(stored(Reports.GOOGLE_STYLE, "example.net"));

        assertThat(other).isEqualTo(ReceivedStore.Stored.STORED);
        assertThat(store.reports(DAY, DAY.plusDays(1)))
                .extracting(StoredReport::submitter)
                .containsExactlyInAnyOrder("google.com", "example.net");
    }

    @Test
    void aStoredReportIsOnDiskAndReadByAnotherStoreExactlyAsStored() throws Exception {
        StoredReport report = new StoredReport(
                parse(Reports.APPENDIX_B),
                "company-x.example",
                Origin.MAIL,
                RECEIVED,
                new DkimCheck(DkimCheck.Status.PASS, "d=company-x.example s=tlsrpt"),
                List.of("a note"),
                Reports.APPENDIX_B);

        new FileReceivedStore(dir).store(report);

        Path file = dir.resolve("2016-04-01")
                .resolve(sha256Hex("company-x.example\0" + "5065427c-23d3-47ca-b6e0-946ea0e8c4be") + ".json");
        assertThat(file).isRegularFile();
        List<StoredReport> read =
                new FileReceivedStore(dir).reports(LocalDate.parse("2016-04-01"), LocalDate.parse("2016-04-02"));
        assertThat(read).containsExactly(report);
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aDamagedFileIsSkippedAndTheOthersRead() throws Exception {
        FileReceivedStore store = new FileReceivedStore(dir);
        store.store(stored(Reports.GOOGLE_STYLE, "google.com"));
        store.store(stored(Reports.withId("second"), "google.com"));
        Files.writeString(dir.resolve(DAY.toString()).resolve("0000.json"), "{\"format\":1,\"report\":");
        Files.writeString(dir.resolve(DAY.toString()).resolve("0001.json"), "{\"format\":1}");

        List<StoredReport> read = store.reports(DAY, DAY.plusDays(1));

        assertThat(read)
                .extracting(r -> r.report().reportId())
                .containsExactlyInAnyOrder("2024-11-08T00:00:00Z_example.com", "second");
    }

    @Test
    void reportsAreReadByTheUtcDayTheirPeriodStarts() throws Exception {
        FileReceivedStore store = new FileReceivedStore(dir);
        store.store(stored(Reports.GOOGLE_STYLE, "google.com"));

        assertThat(store.reports(DAY.plusDays(1), DAY.plusDays(7))).isEmpty();
        assertThat(store.reports(DAY.minusDays(7), DAY)).isEmpty();
        assertThat(store.reports(DAY.minusDays(7), DAY.plusDays(1))).hasSize(1);
        assertThat(new FileReceivedStore(dir.resolve("none")).reports(DAY, DAY.plusDays(1)))
                .isEmpty();
    }

    @Test
    void aReportWithoutItsOriginalTextIsStoredAsItsParsedForm() throws Exception {
        ReceivedReport report = parse(Reports.MICROSOFT_STYLE);
        StoredReport stored =
                new StoredReport(report, "microsoft.com", Origin.HTTPS, RECEIVED, DkimCheck.NOT_MAIL, List.of());
        FileReceivedStore store = new FileReceivedStore(dir);

        store.store(stored);

        assertThat(store.reports(DAY, DAY.plusDays(1)))
                .extracting(StoredReport::report)
                .containsExactly(report);
    }

    static ReceivedReport parse(String json) {
        return ((ParsedReport.Parsed) new ReportParser().parse(Reports.utf8(json))).report();
    }

    static StoredReport stored(String json, String submitter) {
        return new StoredReport(parse(json), submitter, Origin.FILE, RECEIVED, DkimCheck.NOT_MAIL, List.of(), json);
    }

    private static String sha256Hex(String text) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Reports.utf8(text)));
    }
}
