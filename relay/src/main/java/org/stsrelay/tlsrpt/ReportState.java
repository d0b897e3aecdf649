package org.stsrelay.tlsrpt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.stsrelay.support.AtomicFiles;

/**
 * The durable delivery state of one UTC day's reports: per policy domain its report-id and per destination
 * (rua URI) how far delivery got. Kept in {@code report-state-YYYY-MM-DD.json} in the TLS-RPT directory, so a
 * restart neither resends to a destination that has its report nor forgets one that is being retried.
 *
 * @param day     the UTC day the reports cover
 * @param domains policy domain to its state, in domain order
 */
public record ReportState(LocalDate day, Map<String, DomainState> domains) {

    /** Copies the map. */
    public ReportState {
        domains = Map.copyOf(domains);
    }

    /** What happened to one destination. */
    public enum Status {
        /** A mailto report is committed to the spool; the queue delivers it like any mail. */
        QUEUED,
        /** An https receiver answered 2xx. */
        DELIVERED,
        /** Given up: retried for TlsRptConfig.retryFor() without success. */
        FAILED,
        /** Failed so far; tried again at {@code nextTry}. */
        RETRYING;

        String token() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One policy domain's report.
     *
     * @param reportId     the report-id, the same on every retry (RFC 8460 §4.4)
     * @param destinations rua URI (as text) to its delivery state
     */
    public record DomainState(String reportId, Map<String, Destination> destinations) {
        /** Copies the map. */
        public DomainState {
            destinations = Map.copyOf(destinations);
        }
    }

    /**
     * One destination's delivery state.
     *
     * @param status    where delivery stands
     * @param attempts  attempts made
     * @param firstTry  when the first attempt was made; retries stop TlsRptConfig.retryFor() later
     * @param nextTry   when a retrying destination is tried again
     * @param lastError the reason of the last failure
     */
    public record Destination(
            Status status, int attempts, Instant firstTry, Optional<Instant> nextTry, Optional<String> lastError) {}

    /** The state file of {@code day} in {@code directory}. */
    static Path file(Path directory, LocalDate day) {
        return directory.resolve("report-state-" + day + ".json");
    }

    /** Reads the day's state; an absent file is an empty state. */
    public static ReportState load(Path directory, LocalDate day) throws IOException {
        Path file = file(directory, day);
        if (!Files.exists(file)) {
            return new ReportState(day, Map.of());
        }
        return fromJson(day, new ObjectMapper().readTree(file.toFile()));
    }

    /** The state that {@link #toJson()} wrote. */
    static ReportState fromJson(LocalDate day, JsonNode root) {
        Map<String, DomainState> domains = new TreeMap<>();
        root.path("domains").fields().forEachRemaining(d -> {
            Map<String, Destination> destinations = new LinkedHashMap<>();
            d.getValue()
                    .path("destinations")
                    .fields()
                    .forEachRemaining(e -> destinations.put(e.getKey(), destination(e.getValue())));
            domains.put(
                    d.getKey(), new DomainState(d.getValue().path("report-id").asText(), destinations));
        });
        return new ReportState(day, domains);
    }

    private static Destination destination(JsonNode node) {
        return new Destination(
                Status.valueOf(node.path("state").asText().toUpperCase(Locale.ROOT)),
                node.path("attempts").asInt(),
                Instant.parse(node.path("first-try").asText()),
                text(node, "next-try").map(Instant::parse),
                text(node, "last-error"));
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.hasNonNull(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
    }

    /** This state with {@code destination} of {@code domain} replaced. */
    ReportState with(String domain, String reportId, String uri, Destination destination) {
        Map<String, DomainState> copy = new TreeMap<>(domains);
        DomainState old = copy.get(domain);
        Map<String, Destination> dests = new TreeMap<>(old == null ? Map.of() : old.destinations());
        dests.put(uri, destination);
        copy.put(domain, new DomainState(reportId, dests));
        return new ReportState(day, copy);
    }

    /** The state of {@code uri} of {@code domain}, if it was ever tried. */
    Optional<Destination> destination(String domain, String uri) {
        return Optional.ofNullable(domains.get(domain))
                .map(d -> d.destinations().get(uri));
    }

    /**
     * Writes the state atomically: a temporary file, fsynced, renamed over the old one, and the directory
     * fsynced, so a crash leaves either the old or the new state, never a torn file.
     */
    void save(Path directory) throws IOException {
        AtomicFiles.write(file(directory, day), toJson());
    }

    /** The state as JSON, the same in the state file and the fleet database. */
    byte[] toJson() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("day", day.toString());
        ObjectNode out = root.putObject("domains");
        new TreeMap<>(domains).forEach((domain, state) -> {
            ObjectNode d = out.putObject(domain);
            d.put("report-id", state.reportId());
            ObjectNode dests = d.putObject("destinations");
            new TreeMap<>(state.destinations()).forEach((uri, dest) -> {
                ObjectNode n = dests.putObject(uri);
                n.put("state", dest.status().token());
                n.put("attempts", dest.attempts());
                n.put("first-try", dest.firstTry().toString());
                dest.nextTry().ifPresent(t -> n.put("next-try", t.toString()));
                dest.lastError().ifPresent(e -> n.put("last-error", e));
            });
        });
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", impossible);
        }
    }
}
