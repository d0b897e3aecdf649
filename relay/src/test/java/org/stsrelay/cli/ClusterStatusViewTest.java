package org.stsrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterStatusViewTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final String URL = "jdbc:postgresql://db:5432/stsrelay";

    private static final ClusterSnapshot SNAPSHOT = new ClusterSnapshot(
            NOW,
            1,
            List.of(
                    new ClusterSnapshot.Node(
                            "relay-0",
                            "1.2.0",
                            NOW.minusSeconds(3600),
                            NOW.minusSeconds(5),
                            Optional.of(NOW.minusSeconds(8)),
                            Optional.of(NOW.minusSeconds(9)),
                            3,
                            120,
                            12),
                    new ClusterSnapshot.Node(
                            "relay-1",
                            "1.2.0",
                            NOW.minusSeconds(7200),
                            NOW.minusSeconds(31),
                            Optional.empty(),
                            Optional.empty(),
                            0,
                            0,
                            0)),
            new ClusterSnapshot.Policies(10, 4, 1));

    private final ClusterStatusView view = new ClusterStatusView(URL, ClusterCommand.SILENT_AFTER);

    @Test
    void aNodeIsSilentAfterThreeMissedHeartbeats() {
        assertThat(ClusterCommand.SILENT_AFTER).isEqualTo(Duration.ofSeconds(30));
        assertThat(SNAPSHOT.silentNodes(ClusterCommand.SILENT_AFTER)).isEqualTo(1);
    }

    @Test
    void theTableHasOneAlignedLinePerNodeAndThePolicyCounts() {
        StringWriter text = new StringWriter();
        view.printTable(SNAPSHOT, new PrintWriter(text));
        List<String> lines = text.toString().lines().toList();
        assertThat(lines.get(0)).isEqualTo("fleet database: " + URL + " (reachable, schema version 1)");
        assertThat(lines.get(1)).isEqualTo("nodes: 2 seen, 1 silent (no heartbeat for 30 s)");
        assertThat(lines.get(2)).startsWith("NODE     VERSION  STATE   STARTED");
        assertThat(lines.get(3))
                .startsWith("relay-0  1.2.0    up      2026-12-04T11:00:00Z")
                .endsWith("3          120            12");
        assertThat(lines.get(4)).contains(" silent ", " never ").endsWith("0          0              0");
        assertThat(lines.get(5)).isEqualTo("policies: 10 stored, 4 enforce, 1 expired");
        assertThat(lines.get(3).indexOf("2026-12-04T11:00:00Z"))
                .isEqualTo(lines.get(2).indexOf("STARTED"));
    }

    @Test
    void theJsonHasEveryFieldWithNullForNever() throws Exception {
        JsonNode json = new ObjectMapper().readTree(view.json(SNAPSHOT));
        assertThat(json.path("reachable").asBoolean()).isTrue();
        assertThat(json.path("schema-version").asInt()).isEqualTo(1);
        assertThat(json.path("nodes")).hasSize(2);
        JsonNode first = json.path("nodes").get(0);
        assertThat(first.path("silent").asBoolean()).isFalse();
        assertThat(first.path("shipped-results-today").asLong()).isEqualTo(120);
        assertThat(first.path("last-shipment").asText()).isEqualTo("2026-12-04T11:59:52Z");
        assertThat(json.path("nodes").get(1).path("last-shipment").isNull()).isTrue();
        assertThat(json.path("policies").path("enforce").asLong()).isEqualTo(4);
    }

    @Test
    void aSingleNodeRelayIsNotAFleet() throws Exception {
        JsonNode json = new ObjectMapper().readTree(ClusterStatusView.singleNodeJson());
        assertThat(json.path("fleet").asBoolean(true)).isFalse();
    }

    @Test
    void aFailureIsTheDriversOwnWordsNotThePoolTimeout() {
        SQLException pool = new SQLException(
                "fleet-db - Connection is not available, request timed out after 3000ms.",
                new SQLException("Connection to 127.0.0.1:9 refused.", new ConnectException("Connection refused")));
        assertThat(ClusterStatusView.describe(pool)).isEqualTo("Connection to 127.0.0.1:9 refused.");
        assertThat(ClusterStatusView.describe(new SQLException("request timed out after 3000ms.")))
                .isEqualTo("request timed out after 3000ms.");
    }
}
