package org.stsrelay.tlsrpt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.support.AtomicFiles;

/**
 * Operator requests ({@code report send}) left as files in {@code <tlsrpt dir>/control/}: the command line
 * writes them whether or not the relay runs, and the running relay's scheduler takes them within seconds
 * (or at its next start).
 */
public final class ReportRequests {

    private static final Logger LOG = LoggerFactory.getLogger(ReportRequests.class);

    /**
     * A request to send a day's reports now.
     *
     * @param day    the UTC day
     * @param domain only this policy domain; empty: all of the day's domains
     */
    public record Send(LocalDate day, Optional<String> domain) {
    }

    private final Path control;

    /** Requests in the control directory under {@code tlsrptDirectory}. */
    public ReportRequests(Path tlsrptDirectory) {
        this.control = tlsrptDirectory.resolve("control");
    }

    /** Leaves a request for the relay (written atomically); returns the file. */
    public Path submit(Send request) throws IOException {
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.put("day", request.day().toString());
        request.domain().ifPresent(d -> node.put("domain", d));
        Path file = control.resolve("send-" + request.day() + "-" + UUID.randomUUID() + ".json");
        AtomicFiles.write(file, node.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return file;
    }

    /** Takes every pending request, deleting its file; an unreadable file is logged and removed. */
    List<Send> take() throws IOException {
        List<Send> out = new ArrayList<>();
        if (!Files.isDirectory(control)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(control, "send-*.json")) {
            for (Path file : files) {
                try {
                    JsonNode node = new ObjectMapper().readTree(file.toFile());
                    out.add(new Send(LocalDate.parse(node.path("day").asText()),
                            node.hasNonNull("domain") ? Optional.of(node.get("domain").asText()) : Optional.empty()));
                } catch (IOException | RuntimeException e) {
                    LOG.warn("ignoring unreadable TLS-RPT request {}: {}", file.getFileName(), e.getMessage());
                }
                Files.deleteIfExists(file);
            }
        }
        return out;
    }
}
