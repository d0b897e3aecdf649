package org.stsrelay.tlsrpt;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.stsrelay.fleet.FleetDatabase;

/**
 * The fleet's reports of a day as {@code report status} and {@code report preview} show them: every node's shipped
 * results, the shared report state, and how far each node has shipped. Failures are thrown, for the operator.
 */
public final class FleetReportView {

    private final FleetDatabase database;

    public FleetReportView(FleetDatabase database) {
        this.database = database;
    }

    /**
     * One node's shipments of a day.
     *
     * @param node           the node's name
     * @param results        its results of the day in the database
     * @param shippedThrough every result it recorded before this time is shipped
     * @param lastShipment   its last successful shipment
     */
    public record NodeResults(
            String node, long results, Optional<Instant> shippedThrough, Optional<Instant> lastShipment) {}

    /** Every policy domain with results on {@code day}, over all nodes, in domain order. */
    public List<DomainResults> results(LocalDate day) throws SQLException {
        return database.callOrThrow(c -> DailyAggregator.aggregate(day, ShippedResults.read(c, day)));
    }

    /** The day's shared report state. */
    public ReportState state(LocalDate day) throws SQLException {
        return database.callOrThrow(c -> DatabaseReportStates.read(c, day));
    }

    /** Every node of the fleet with its results of {@code day}, in name order. */
    public List<NodeResults> nodes(LocalDate day) throws SQLException {
        return database.callOrThrow(c -> nodes(c, day));
    }

    private static List<NodeResults> nodes(Connection c, LocalDate day) throws SQLException {
        List<NodeResults> out = new ArrayList<>();
        try (PreparedStatement query = c.prepareStatement("SELECT n.name, coalesce(b.results, 0), "
                + "n.shipped_through, n.last_shipment FROM nodes n LEFT JOIN (SELECT node, sum(results) AS results "
                + "FROM tlsrpt_batches WHERE day = ? GROUP BY node) b ON b.node = n.name ORDER BY n.name")) {
            query.setDate(1, Date.valueOf(day));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    out.add(new NodeResults(rows.getString(1), rows.getLong(2), instant(rows, 3), instant(rows, 4)));
                }
            }
        }
        return out;
    }

    private static Optional<Instant> instant(ResultSet rows, int column) throws SQLException {
        return Optional.ofNullable(rows.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }
}
