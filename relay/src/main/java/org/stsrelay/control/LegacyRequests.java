package org.stsrelay.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.support.AtomicFiles;

/**
 * Turns requests left in the formats of earlier versions into requests of the control plane, so that a request
 * left just before an upgrade is still applied: {@code <spool>/control/<ID>.delete}, {@code hold},
 * {@code hold@DOMAIN}, {@code released}, {@code flush-N[@DOMAIN]}; {@code <store>/control/DOMAIN.purge|.refresh};
 * {@code <tlsrpt>/control/send-*.json}.
 */
public final class LegacyRequests {

    private static final Logger LOG = LoggerFactory.getLogger(LegacyRequests.class);

    private final ControlPlane plane;

    /** Migrates into {@code plane}. */
    public LegacyRequests(ControlPlane plane) {
        this.plane = plane;
    }

    /** Migrates what the spool's control directory holds in the old format. */
    public void migrateSpool(Path controlDirectory) throws IOException {
        for (Path file : files(controlDirectory, "*")) {
            String name = file.getFileName().toString();
            if (name.endsWith(".delete")) {
                move(file, RequestLine.parse("delete " + name.substring(0, name.length() - ".delete".length())));
            } else if (name.equals("hold") || name.startsWith("hold@")) {
                move(file, RequestLine.parse("hold " + target(name)));
            } else if (name.startsWith("flush-")) {
                move(file, RequestLine.parse("flush " + target(name)));
            } else if (name.equals("released")) {
                // A release overrode delivery.paused only until the next start, which this is.
                delete(file);
            }
        }
    }

    /** Migrates {@code policy purge|refresh} requests from {@code <store>/control}. */
    public void migratePolicies(Path storeDirectory) throws IOException {
        for (Path file : files(storeDirectory.resolve("control"), "*.{purge,refresh}")) {
            String name = file.getFileName().toString();
            int dot = name.lastIndexOf('.');
            move(file, RequestLine.parse("policy-" + name.substring(dot + 1) + " " + name.substring(0, dot)));
        }
    }

    /** Migrates {@code report send} requests from {@code <tlsrpt>/control}. */
    public void migrateReports(Path tlsrptDirectory) throws IOException {
        for (Path file : files(tlsrptDirectory.resolve("control"), "send-*.json")) {
            ParsedRequest parsed;
            try {
                JsonNode node = new ObjectMapper().readTree(file.toFile());
                LocalDate day = LocalDate.parse(node.path("day").asText());
                String domain = node.hasNonNull("domain") ? node.get("domain").asText() : ControlRequest.ALL;
                parsed = RequestLine.parse("report-send " + day + " " + domain);
            } catch (IOException | RuntimeException unreadable) {
                parsed = new ParsedRequest.Invalid(String.valueOf(unreadable.getMessage()));
            }
            move(file, parsed);
        }
    }

    private static String target(String name) {
        int at = name.indexOf('@');
        return at < 0 ? ControlRequest.ALL : name.substring(at + 1);
    }

    private void move(Path file, ParsedRequest parsed) throws IOException {
        if (parsed instanceof ParsedRequest.Valid valid) {
            plane.submit(valid.request());
            LOG.info(
                    "control request {} from before the upgrade kept as \"{}\"",
                    file,
                    valid.request().line());
        } else {
            LOG.warn("dropping the unreadable control request {}: {}", file, ((ParsedRequest.Invalid) parsed).reason());
        }
        delete(file);
    }

    private static void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
        AtomicFiles.forceDirectory(file.getParent());
    }

    private static List<Path> files(Path directory, String glob) throws IOException {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, glob)) {
            for (Path file : files) {
                if (Files.isRegularFile(file)
                        && !file.getFileName().toString().endsWith(".request")
                        && !file.getFileName().toString().endsWith(AtomicFiles.TEMPORARY_SUFFIX)) {
                    found.add(file);
                }
            }
        }
        return found;
    }
}
