package org.stsrelay.received;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.support.AtomicFiles;

/**
 * Keeps received reports as files, one per report: {@code <directory>/<UTC day of the period start>/<hex SHA-256 of
 * submitter "\0" report-id>.json}, in the format of {@link StoredReportFile}. The name is the dedupe key (RFC 8460
 * §4.4: a report-id is unique per submitter), and a file is published by a hard link that fails if the name is
 * taken, so a second copy of a report, even from a racing process, never replaces the first.
 */
public final class FileReceivedStore implements ReceivedStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileReceivedStore.class);
    private static final String SUFFIX = ".json";

    private final Path directory;
    private final StoredReportFile format = new StoredReportFile();

    /** A store under {@code directory}, created when the first report is stored. */
    public FileReceivedStore(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    @Override
    public Stored store(StoredReport report) throws IOException {
        Path file = fileOf(report);
        boolean created = AtomicFiles.create(file, format.write(report));
        return created ? Stored.STORED : Stored.DUPLICATE;
    }

    @Override
    public List<StoredReport> reports(LocalDate from, LocalDate until) throws IOException {
        List<StoredReport> reports = new ArrayList<>();
        for (LocalDate day = from; day.isBefore(until); day = day.plusDays(1)) {
            Path dayDirectory = directory.resolve(day.toString());
            if (Files.isDirectory(dayDirectory)) {
                readDay(dayDirectory, reports);
            }
        }
        return reports;
    }

    // Counts names without reading the files: the owner site asks before every posted report.
    @Override
    public int count(LocalDate day) throws IOException {
        Path dayDirectory = directory.resolve(day.toString());
        if (!Files.isDirectory(dayDirectory)) {
            return 0;
        }
        try (Stream<Path> listing = Files.list(dayDirectory)) {
            return (int) listing.filter(FileReceivedStore::isReport).count();
        }
    }

    private static boolean isReport(Path file) {
        return file.getFileName().toString().endsWith(SUFFIX) && !AtomicFiles.isTemporary(file);
    }

    /** The file a report is kept in. */
    Path fileOf(StoredReport report) {
        LocalDate day = LocalDate.ofInstant(report.report().start(), ZoneOffset.UTC);
        return directory
                .resolve(day.toString())
                .resolve(key(report.submitter(), report.report().reportId()) + SUFFIX);
    }

    private void readDay(Path dayDirectory, List<StoredReport> into) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(dayDirectory)) {
            files = listing.filter(FileReceivedStore::isReport).sorted().toList();
        }
        for (Path file : files) {
            try {
                into.add(format.read(Files.readAllBytes(file)));
            } catch (IOException e) {
                // One damaged file must not hide every other report of the day.
                LOG.warn("skipping damaged received report {}: {}", file, e.getMessage());
            }
        }
    }

    private static String key(String submitter, String reportId) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of()
                    .formatHex(sha256.digest((submitter + "\0" + reportId).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
