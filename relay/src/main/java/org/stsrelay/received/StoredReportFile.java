package org.stsrelay.received;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The file format of one stored report, version 1: a JSON object
 *
 * <pre>{@code
 * {"format": 1,
 *  "submitter": "company-x.example",
 *  "origin": "MAIL",                                  // HTTPS, MAIL or FILE
 *  "received-at": "2016-04-02T06:00:00Z",
 *  "dkim": {"status": "PASS", "detail": "d=company-x.example s=tlsrpt"},
 *  "notes": ["policies[0].policy.mx-host is a string, not an array (RFC 8460 §4.4)"],
 *  "report": "{\"organization-name\":\"Company-X\", ...}"}   // the sender's JSON text, unchanged
 * }</pre>
 *
 * The report is kept as the sender's text, not as parsed, so a later version re-reads it with its own parser.
 */
final class StoredReportFile {

    static final int FORMAT = 1;

    private final ObjectMapper mapper = new ObjectMapper();
    private final ReportParser parser = new ReportParser();

    byte[] write(StoredReport stored) throws IOException {
        ObjectNode root = mapper.createObjectNode();
        root.put("format", FORMAT);
        root.put("submitter", stored.submitter());
        root.put("origin", stored.origin().name());
        root.put("received-at", stored.receivedAt().toString());
        ObjectNode dkim = root.putObject("dkim");
        dkim.put("status", stored.dkim().status().name());
        dkim.put("detail", stored.dkim().detail());
        stored.notes().forEach(root.putArray("notes")::add);
        root.put("report", stored.json());
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    /** Reads a stored report; throws with a one-line reason if the file is damaged. */
    StoredReport read(byte[] content) throws IOException {
        JsonNode root = mapper.readTree(content);
        if (root == null || !root.isObject() || root.path("format").asInt() != FORMAT) {
            throw new IOException("not a stored report of format " + FORMAT);
        }
        String json = text(root, "report");
        ParsedReport parsed = parser.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (parsed instanceof ParsedReport.Malformed malformed) {
            throw new IOException("its report no longer parses: " + malformed.reason());
        }
        List<String> notes = new ArrayList<>();
        root.path("notes").forEach(note -> notes.add(note.asText()));
        try {
            return new StoredReport(
                    ((ParsedReport.Parsed) parsed).report(),
                    text(root, "submitter"),
                    Origin.valueOf(text(root, "origin")),
                    Instant.parse(text(root, "received-at")),
                    new DkimCheck(
                            DkimCheck.Status.valueOf(text(root.path("dkim"), "status")),
                            text(root.path("dkim"), "detail")),
                    notes,
                    json);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IOException("a field has a value this version does not know: " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String name) throws IOException {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw new IOException(name + " is missing");
        }
        return value.textValue();
    }
}
