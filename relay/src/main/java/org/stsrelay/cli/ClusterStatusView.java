package org.stsrelay.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** How {@code cluster status} shows a {@link ClusterSnapshot}: a table for people, JSON for scripts. */
final class ClusterStatusView {

    private static final List<String> HEADINGS = List.of(
            "NODE",
            "VERSION",
            "STATE",
            "STARTED",
            "LAST SEEN",
            "LAST SHIPMENT",
            "SHIPPED THROUGH",
            "UNSHIPPED",
            "SHIPPED TODAY",
            "BATCHES TODAY");

    private final String database;
    private final Duration silentAfter;

    /**
     * @param database    the JDBC URL, shown so the operator sees which database was asked
     * @param silentAfter how long without a heartbeat makes a node silent
     */
    ClusterStatusView(String database, Duration silentAfter) {
        this.database = database;
        this.silentAfter = silentAfter;
    }

    void printTable(ClusterSnapshot snapshot, PrintWriter out) {
        out.println("fleet database: " + database + " (reachable, schema version " + snapshot.schemaVersion() + ")");
        out.println("nodes: " + snapshot.nodes().size() + " seen, " + snapshot.silentNodes(silentAfter)
                + " silent (no heartbeat for " + silentAfter.toSeconds() + " s)");
        if (!snapshot.nodes().isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            rows.add(HEADINGS);
            snapshot.nodes().forEach(n -> rows.add(cells(n, snapshot.checkedAt())));
            printAligned(rows, out);
        }
        ClusterSnapshot.Policies p = snapshot.policies();
        out.println("policies: " + p.stored() + " stored, " + p.enforce() + " enforce, " + p.expired() + " expired");
    }

    private List<String> cells(ClusterSnapshot.Node n, Instant now) {
        return List.of(
                n.name(),
                n.version(),
                n.silent(now, silentAfter) ? "silent" : "up",
                n.startedAt().toString(),
                n.lastSeen().toString(),
                text(n.lastShipment()),
                text(n.shippedThrough()),
                Long.toString(n.unshipped()),
                Long.toString(n.resultsToday()),
                Long.toString(n.batchesToday()));
    }

    private static String text(Optional<Instant> instant) {
        return instant.map(Instant::toString).orElse("never");
    }

    private static void printAligned(List<List<String>> rows, PrintWriter out) {
        int[] widths = new int[HEADINGS.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                line.append(row.get(i)).append(" ".repeat(widths[i] - row.get(i).length() + 2));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    String json(ClusterSnapshot snapshot) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("fleet", true);
        root.put("database", database);
        root.put("reachable", true);
        root.put("schema-version", snapshot.schemaVersion());
        root.put("checked-at", snapshot.checkedAt().toString());
        ArrayNode nodes = root.putArray("nodes");
        for (ClusterSnapshot.Node n : snapshot.nodes()) {
            ObjectNode o = nodes.addObject();
            o.put("name", n.name());
            o.put("version", n.version());
            o.put("silent", n.silent(snapshot.checkedAt(), silentAfter));
            o.put("started-at", n.startedAt().toString());
            o.put("last-seen", n.lastSeen().toString());
            o.put("last-shipment", n.lastShipment().map(Instant::toString).orElse(null));
            o.put("shipped-through", n.shippedThrough().map(Instant::toString).orElse(null));
            o.put("unshipped-results", n.unshipped());
            o.put("shipped-results-today", n.resultsToday());
            o.put("batches-today", n.batchesToday());
        }
        ObjectNode policies = root.putObject("policies");
        policies.put("stored", snapshot.policies().stored());
        policies.put("enforce", snapshot.policies().enforce());
        policies.put("expired", snapshot.policies().expired());
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    /** The JSON of a relay without a fleet database. */
    static String singleNodeJson() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        return mapper.writerWithDefaultPrettyPrinter()
                .writeValueAsString(mapper.createObjectNode().put("fleet", false));
    }

    /** The JSON of a database that could not be read, so a script gets JSON whatever happened. */
    String unreachableJson(String error) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("fleet", true);
        root.put("database", database);
        root.put("reachable", false);
        root.put("error", error);
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    /**
     * The driver's own words: the innermost SQL exception's message. The pool's "connection is not available,
     * request timed out" wraps the reason (refused, authentication failed, unknown host) and says nothing itself.
     */
    static String describe(SQLException failure) {
        SQLException innermost = failure;
        for (Throwable t = failure.getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                innermost = sql;
            }
        }
        return innermost.getMessage() == null
                ? innermost.toString()
                : innermost.getMessage().strip();
    }
}
