package org.stsrelay.received;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.config.ReceivedConfig;

class ReportImporterTest {

    private static final LocalDate DAY = LocalDate.parse("2024-11-08");

    @TempDir
    Path dir;

    private SignedMail mail;
    private FileReceivedStore store;
    private ReportImporter importer;

    @BeforeEach
    void importer() throws Exception {
        mail = new SignedMail(dir);
        store = new FileReceivedStore(dir.resolve("received"));
        ReceivedReports intake =
                new ReceivedReports(ReceivedConfig.DEFAULT, store, Clock.systemUTC(), new SimpleMeterRegistry());
        importer =
                new ReportImporter(intake, new DkimVerification(mail.keys()), ReceivedConfig.DEFAULT.maxReportSize());
    }

    @Test
    @DisplayName("RFC 8460 §5.3: a signed .eml with a gzip part is stored with its submitter and DKIM PASS")
    void anEmlWithAGzipPartIsStored() throws Exception {
        Path eml =
                Files.writeString(dir.resolve("report.eml"), mail.sign(googleMessage()), StandardCharsets.ISO_8859_1);

        List<ReportImporter.Line> lines = run(eml);

        assertThat(lines).containsExactly(new ReportImporter.Line(eml.toString(), "stored", false));
        StoredReport stored = store.reports(DAY, DAY.plusDays(1)).get(0);
        assertThat(stored.origin()).isEqualTo(Origin.MAIL);
        assertThat(stored.submitter()).isEqualTo("google.com");
        assertThat(stored.dkim()).isEqualTo(new DkimCheck(DkimCheck.Status.PASS, "d=google.com s=tlsrpt"));
    }

    @Test
    @DisplayName("RFC 8460 §5.3: a report part sent as application/octet-stream named .json.gz is taken and noted")
    void aGenericPartNamedAsAReportIsTakenAndNoted() throws Exception {
        Path eml = Files.writeString(
                dir.resolve("report.eml"),
                Reports.message(
                        "google.com",
                        "application/octet-stream",
                        "report.json.gz",
                        Reports.gzip(Reports.GOOGLE_STYLE)));

        assertThat(run(eml)).extracting(ReportImporter.Line::outcome).containsExactly("stored");
        assertThat(store.reports(DAY, DAY.plusDays(1)).get(0).notes())
                .containsExactly("report part is application/octet-stream named report.json.gz,"
                        + " not application/tlsrpt+gzip (RFC 8460 §5.3)");
    }

    @Test
    @DisplayName("an mbox of three messages, one broken: two stored, one refused, the From_ escape undone")
    void anMboxWithOneBrokenMessageLosesNothingElse() throws Exception {
        // The signed message's text says "From here on", which the mbox escapes; DKIM passes only if it is undone.
        String signed = mail.sign(googleMessage().replace("This is an aggregate", "From here on, an aggregate"));
        String broken = Reports.message("example.net", "application/tlsrpt+gzip", "r.json.gz", Reports.utf8("{}"));
        String third = Reports.message(
                "microsoft.com", "application/tlsrpt+json", "r.json", Reports.utf8(Reports.MICROSOFT_STYLE));
        Path mbox = Files.writeString(
                dir.resolve("reports.mbox"),
                mboxEntry(signed) + mboxEntry(broken) + mboxEntry(third),
                StandardCharsets.ISO_8859_1);

        List<ReportImporter.Line> lines = run(mbox);

        assertThat(lines)
                .extracting(ReportImporter.Line::source)
                .containsExactly(mbox + " message 1", mbox + " message 2", mbox + " message 3");
        assertThat(lines.get(0).outcome()).isEqualTo("stored");
        assertThat(lines.get(1).outcome()).startsWith("refused: malformed: gzip data is broken");
        assertThat(lines.get(2).outcome()).isEqualTo("stored");
        assertThat(store.reports(DAY, DAY.plusDays(1)))
                .extracting(r -> r.submitter() + " " + r.dkim().status())
                .containsExactlyInAnyOrder("google.com PASS", "microsoft.com NONE");
    }

    @Test
    @DisplayName("a Maildir: the messages of cur and new are imported, those still in tmp are not")
    void aMaildirImportsCurAndNew() throws Exception {
        Path maildir = dir.resolve("Maildir");
        for (String sub : List.of("cur", "new", "tmp")) {
            Files.createDirectories(maildir.resolve(sub));
        }
        Files.writeString(maildir.resolve("cur/1.host:2,S"), googleMessage().replace("\r\n", "\n"));
        Files.writeString(
                maildir.resolve("new/2.host"),
                Reports.message(
                        "microsoft.com", "application/tlsrpt+json", "r.json", Reports.utf8(Reports.MICROSOFT_STYLE)));
        Files.writeString(maildir.resolve("tmp/3.host"), "partial");

        List<ReportImporter.Line> lines = run(maildir);

        assertThat(lines).extracting(ReportImporter.Line::outcome).containsExactly("stored", "stored");
        assertThat(store.reports(DAY, DAY.plusDays(1))).hasSize(2);
    }

    @Test
    @DisplayName("a directory of .json and .json.gz files is imported file by file; importing again says duplicate")
    void aDirectoryOfReportFilesAndItsReimport() throws Exception {
        Path reports = Files.createDirectories(dir.resolve("reports"));
        Files.writeString(reports.resolve("google.json"), Reports.GOOGLE_STYLE);
        Files.write(reports.resolve("microsoft.json.gz"), Reports.gzip(Reports.MICROSOFT_STYLE));
        Files.write(reports.resolve("appendix-b"), Reports.gzip(Reports.APPENDIX_B));

        List<ReportImporter.Line> first = run(reports);
        List<ReportImporter.Line> second = run(reports);

        assertThat(first).extracting(ReportImporter.Line::outcome).containsExactly("stored", "stored", "stored");
        assertThat(second)
                .extracting(ReportImporter.Line::outcome)
                .containsExactly("duplicate", "duplicate", "duplicate");
        assertThat(store.reports(DAY, DAY.plusDays(1)))
                .extracting(StoredReport::origin)
                .containsOnly(Origin.FILE);
    }

    @Test
    @DisplayName("a 100 MB report file is refused by its size, without being read")
    void aHugeReportFileIsRefusedBySize() throws Exception {
        Path huge = dir.resolve("huge.json");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(100L * 1024 * 1024);
        }

        assertThat(run(huge))
                .containsExactly(new ReportImporter.Line(
                        huge.toString(), "refused: report of 104857600 bytes is over the cap of 10000000", true));
    }

    @Test
    void aMessageWithoutAReportPartAndAMissingFileAreRefused() throws Exception {
        Path eml = Files.writeString(dir.resolve("note.eml"), "Subject: hello\r\n\r\nno report here\r\n");

        assertThat(run(eml, dir.resolve("absent.json")))
                .extracting(ReportImporter.Line::toString)
                .containsExactly(
                        eml + ": refused: no application/tlsrpt+gzip or application/tlsrpt+json part (RFC 8460 §5.3)",
                        dir.resolve("absent.json") + ": refused: no such file");
    }

    private List<ReportImporter.Line> run(Path... paths) {
        List<ReportImporter.Line> lines = new ArrayList<>();
        for (Path path : paths) {
            importer.importPath(path, lines::add);
        }
        return lines;
    }

    private static String googleMessage() {
        return Reports.message(
                "google.com", "application/tlsrpt+gzip", "report.json.gz", Reports.gzip(Reports.GOOGLE_STYLE));
    }

    /** An mbox entry: From_ line, the message with LF line ends and mboxrd escaping, a blank line. */
    static String mboxEntry(String message) {
        String lf = message.replace("\r\n", "\n").replaceAll("(?m)^(>*From )", ">$1");
        return "From tls-reporting@example Fri Nov  8 06:00:00 2024\n" + lf + "\n";
    }
}
