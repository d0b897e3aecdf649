package org.stsrelay.tlsrpt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The journal's file layout and line format.
 *
 * <p>One file per UTC day, {@code results-YYYY-MM-DD.log}, chosen by the result's own time so a day's
 * report reads exactly one file. Each record is one line: the CRC-32 of the JSON in 8 hex digits, a
 * space, compact JSON, a newline. A line without its newline or with a CRC that does not match is a torn
 * write from a crash and is skipped; lines after it are still read.
 */
final class JournalFormat {

    private static final String PREFIX = "results-";
    private static final String SUFFIX = ".log";

    private final ObjectMapper json = new ObjectMapper();

    /** The journal file that holds results of {@code day}. */
    static Path file(Path directory, LocalDate day) {
        return directory.resolve(PREFIX + day + SUFFIX);
    }

    /** The UTC day a result belongs to (RFC 8460 §4.1: a report covers 00:00–24:00 UTC). */
    static LocalDate dayOf(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    /** One record as a complete line, newline included. */
    byte[] encode(JournalEntry e) {
        ObjectNode node = json.createObjectNode();
        node.put("t", e.at().toString());
        ResultFields.write(node, e.key());
        byte[] body = node.toString().getBytes(StandardCharsets.UTF_8);
        String line = String.format("%08x ", crc(body)) + new String(body, StandardCharsets.UTF_8) + "\n";
        return line.getBytes(StandardCharsets.UTF_8);
    }

    /** Every intact record of {@code day}; missing file: none. */
    List<JournalEntry> readDay(Path directory, LocalDate day) throws IOException {
        String text;
        try {
            text = Files.readString(file(directory, day), StandardCharsets.UTF_8);
        } catch (NoSuchFileException absent) {
            return List.of();
        }
        List<JournalEntry> entries = new ArrayList<>();
        int start = 0;
        for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
            decode(text.substring(start, nl))
                    .filter(e -> dayOf(e.at()).equals(day))
                    .ifPresent(entries::add);
            start = nl + 1;
        }
        // Whatever follows the last newline is a write the crash cut short.
        return entries;
    }

    /** The record of one line without its newline, or empty when the line is torn or corrupt. */
    Optional<JournalEntry> decode(String line) {
        if (line.length() < 10 || line.charAt(8) != ' ') {
            return Optional.empty();
        }
        byte[] body = line.substring(9).getBytes(StandardCharsets.UTF_8);
        try {
            if (Long.parseLong(line.substring(0, 8), 16) != crc(body)) {
                return Optional.empty();
            }
            return Optional.of(entry(json.readTree(body)));
        } catch (IOException | DateTimeException | IllegalArgumentException | NullPointerException corrupt) {
            // The CRC matched but the record does not parse (a required field missing: NullPointerException);
            // only a journal written by a different version can do that, and one bad record must not hide a day.
            return Optional.empty();
        }
    }

    private static JournalEntry entry(JsonNode n) {
        return JournalEntry.of(Instant.parse(n.get("t").asText()), ResultFields.read(n));
    }

    private static long crc(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return crc.getValue();
    }
}
