package org.stsrelay.tlsrpt;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.stsrelay.fleet.FleetDatabase;

/**
 * The report state in {@code tlsrpt_report_state}, shared by the fleet: a node that sends a day's reports after
 * another finds the destinations the other already tried (RFC 8460 §4.4: one report-id per report, kept on
 * retries). Every save renews the day's lease in the same transaction, and a node that lost the lease saves
 * nothing and stops sending.
 */
final class DatabaseReportStates implements ReportStateStore {

    private final FleetDatabase database;
    private final ReportLease lease;

    DatabaseReportStates(FleetDatabase database, ReportLease lease) {
        this.database = database;
        this.lease = lease;
    }

    @Override
    public ReportState load(LocalDate day) throws IOException {
        Optional<ReportState> state = database.call("tlsrpt-state", c -> read(c, day));
        return state.orElseThrow(
                () -> new IOException("the fleet database is unreachable; the report state of " + day + " is unknown"));
    }

    @Override
    public void save(ReportState state) throws IOException {
        Optional<Boolean> saved = database.call("tlsrpt-state", c -> lease.renew(c, state.day()) && write(c, state));
        if (saved.isEmpty()) {
            throw new IOException(
                    "the fleet database is unreachable; the report state of " + state.day() + " is not saved");
        }
        if (!saved.get()) {
            throw new IOException("the report lease of " + state.day() + " ran out; another node goes on sending");
        }
    }

    /** The stored state of the day, empty state when there is none. */
    static ReportState read(Connection c, LocalDate day) throws SQLException {
        try (PreparedStatement query =
                c.prepareStatement("SELECT state::text FROM tlsrpt_report_state WHERE day = ?")) {
            query.setDate(1, Date.valueOf(day));
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    return new ReportState(day, Map.of());
                }
                return ReportState.fromJson(day, new ObjectMapper().readTree(rows.getString(1)));
            }
        } catch (IOException corrupt) {
            throw new SQLException("the report state of " + day + " does not parse", corrupt);
        }
    }

    private boolean write(Connection c, ReportState state) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO tlsrpt_report_state "
                + "(day, state, updated_by, updated_at) VALUES (?, ?::jsonb, ?, now()) ON CONFLICT (day) DO UPDATE "
                + "SET state = excluded.state, updated_by = excluded.updated_by, updated_at = excluded.updated_at")) {
            upsert.setDate(1, Date.valueOf(state.day()));
            upsert.setString(2, new String(state.toJson(), StandardCharsets.UTF_8));
            upsert.setString(3, database.node());
            upsert.executeUpdate();
            return true;
        }
    }
}
