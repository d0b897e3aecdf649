package org.stsrelay.received;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Imports received reports from files: a report ({@code .json}, {@code .json.gz}, {@code .gz}), a message, an mbox,
 * a Maildir or a directory of any of these. Each report or message is handled on its own, so one that is broken
 * costs nothing else; every one gives one {@link Line}. Reads are bounded: a report file over the report cap, or a
 * message over four times it, is refused without being read whole.
 */
public final class ReportImporter {

    /**
     * What became of one report or message.
     *
     * @param source  the file, and the message number in an mbox
     * @param outcome {@code stored}, {@code duplicate} or {@code refused: <reason>}
     * @param refused whether it was refused
     */
    public record Line(String source, String outcome, boolean refused) {

        /** The line as printed. */
        @Override
        public String toString() {
            return source + ": " + outcome;
        }
    }

    private static final int MESSAGE_FACTOR = 4;

    private final ReceivedReports intake;
    private final DkimVerification dkim;
    private final long maxReportSize;
    private final long maxMessageSize;
    private final ReportMessages messages;

    /** An importer handing reports to {@code intake} and checking mailed ones with {@code dkim}. */
    public ReportImporter(ReceivedReports intake, DkimVerification dkim, long maxReportSize) {
        this.intake = Objects.requireNonNull(intake, "intake");
        this.dkim = Objects.requireNonNull(dkim, "dkim");
        this.maxReportSize = maxReportSize;
        this.maxMessageSize = maxReportSize * MESSAGE_FACTOR;
        this.messages = new ReportMessages(maxReportSize);
    }

    /** Imports {@code path}, whatever it is, giving one line per report or message to {@code out}. */
    public void importPath(Path path, Consumer<Line> out) {
        try {
            if (Files.isDirectory(path)) {
                importDirectory(path, out);
            } else {
                importFile(path, out);
            }
        } catch (NoSuchFileException e) {
            out.accept(refused(path.toString(), "no such file"));
        } catch (IOException e) {
            out.accept(refused(path.toString(), "could not be read: " + e.getMessage()));
        }
    }

    private void importDirectory(Path directory, Consumer<Line> out) throws IOException {
        boolean maildir = Stream.of("cur", "new", "tmp").allMatch(d -> Files.isDirectory(directory.resolve(d)));
        if (maildir) {
            // Maildir: tmp holds messages still being delivered; cur and new hold the delivered ones.
            for (Path file : files(directory.resolve("cur"))) {
                importMessageFile(file, out);
            }
            for (Path file : files(directory.resolve("new"))) {
                importMessageFile(file, out);
            }
            return;
        }
        for (Path file : files(directory)) {
            importPath(file, out);
        }
    }

    private static List<Path> files(Path directory) throws IOException {
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    private void importFile(Path file, Consumer<Line> out) throws IOException {
        Optional<String> byName = ReportMessages.byFileName(file.getFileName().toString());
        if (byName.isPresent()) {
            importReportFile(file, byName.get(), out);
            return;
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(5);
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            importReportFile(file, BodyDecoder.GZIP, out);
        } else if (MboxReader.looksLikeMbox(head)) {
            importMbox(file, out);
        } else {
            importMessageFile(file, out);
        }
    }

    private void importReportFile(Path file, String mediaType, Consumer<Line> out) throws IOException {
        long size = Files.size(file);
        if (size > maxReportSize) {
            out.accept(refused(file.toString(), "report of " + size + " bytes is over the cap of " + maxReportSize));
            return;
        }
        byte[] body = Files.readAllBytes(file);
        out.accept(line(
                file.toString(), intake.accept(body, mediaType, Origin.FILE, Optional.empty(), DkimCheck.NOT_MAIL)));
    }

    private void importMessageFile(Path file, Consumer<Line> out) throws IOException {
        long size = Files.size(file);
        if (size > maxMessageSize) {
            out.accept(refused(file.toString(), "message of " + size + " bytes is over the cap of " + maxMessageSize));
            return;
        }
        out.accept(importMessage(file.toString(), Files.readAllBytes(file)));
    }

    private void importMbox(Path file, Consumer<Line> out) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            new MboxReader(maxMessageSize).read(in, (number, message) -> {
                String source = file + " message " + number;
                out.accept(
                        message == null
                                ? refused(source, "message is over the cap of " + maxMessageSize + " bytes")
                                : importMessage(source, message));
            });
        }
    }

    private Line importMessage(String source, byte[] message) {
        byte[] wire = MessageLines.crlf(message);
        ReportPart part = messages.find(wire);
        if (part instanceof ReportPart.Missing missing) {
            return refused(source, missing.reason());
        }
        ReportPart.Found found = (ReportPart.Found) part;
        DkimCheck check = dkim.check(wire);
        return line(
                source,
                intake.accept(found.body(), found.mediaType(), Origin.MAIL, found.submitter(), check, found.notes()));
    }

    private static Line line(String source, IntakeResult result) {
        if (result instanceof IntakeResult.Accepted accepted) {
            return new Line(source, accepted.duplicate() ? "duplicate" : "stored", false);
        }
        IntakeResult.Refused refused = (IntakeResult.Refused) result;
        return refused(
                source, refused.refusal().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + refused.reason());
    }

    private static Line refused(String source, String reason) {
        return new Line(source, "refused: " + reason, true);
    }
}
