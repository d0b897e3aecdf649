package org.stsrelay.tlsrpt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import org.stsrelay.delivery.TlsResultType;

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
        node.put("d", e.policyDomain());
        node.put("pt", e.policy().type().token());
        e.policyId().ifPresent(v -> node.put("pid", v));
        ArrayNode lines = node.putArray("ps");
        e.policy().policyString().forEach(lines::add);
        ArrayNode mx = node.putArray("mx");
        e.policy().mxHost().forEach(mx::add);
        e.resultType().ifPresent(v -> node.put("r", v.token()));
        e.sendingIp().ifPresent(v -> node.put("smi", v));
        e.mxHost().ifPresent(v -> node.put("mxh", v));
        e.helo().ifPresent(v -> node.put("helo", v));
        e.receivingIp().ifPresent(v -> node.put("rip", v));
        e.reasonCode().ifPresent(v -> node.put("frc", v));
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
        ReportedPolicy.PolicyType type =
                ReportedPolicy.PolicyType.fromToken(n.get("pt").asText());
        ReportedPolicy policy = new ReportedPolicy(type, strings(n.get("ps")), strings(n.get("mx")));
        return new JournalEntry(
                Instant.parse(n.get("t").asText()),
                n.get("d").asText(),
                policy,
                text(n, "pid"),
                text(n, "r").map(JournalFormat::resultType),
                text(n, "smi"),
                text(n, "mxh"),
                text(n, "helo"),
                text(n, "rip"),
                text(n, "frc"));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.asText()));
        return out;
    }

    private static Optional<String> text(JsonNode n, String field) {
        return Optional.ofNullable(n.get(field)).map(JsonNode::asText);
    }

    private static TlsResultType resultType(String token) {
        return TlsResultType.fromToken(token)
                .orElseThrow(() -> new IllegalArgumentException("unknown result-type: " + token));
    }

    private static long crc(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return crc.getValue();
    }
}
