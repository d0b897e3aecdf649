package org.stsrelay.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.fleet.FleetDatabase;
import org.stsrelay.tlsrpt.DailyAggregator;
import org.stsrelay.tlsrpt.DomainResults;
import org.stsrelay.tlsrpt.FleetReportView;
import org.stsrelay.tlsrpt.ReportState;

/**
 * Where {@code report status} and {@code report preview} read a day from: in fleet mode the fleet database (every
 * node's results, the shared report state); otherwise, or while the database cannot be reached, this node's own
 * journal and state files, with a warning that the fleet's other nodes are missing.
 */
final class ReportReader implements AutoCloseable {

    private final RelayConfig config;
    private final PrintWriter err;
    private final Optional<FleetDatabase> database;
    private Optional<FleetReportView> fleet;

    private ReportReader(RelayConfig config, PrintWriter err, Optional<FleetDatabase> database) {
        this.config = config;
        this.err = err;
        this.database = database;
        this.fleet = database.map(FleetReportView::new);
    }

    /** A reader for {@code config}; warnings go to {@code err}. */
    static ReportReader open(RelayConfig config, PrintWriter err) throws IOException {
        Optional<FleetDatabase> database = config.cluster().database().isPresent()
                ? Optional.of(FleetDatabase.open(config.cluster().database().get(), new SimpleMeterRegistry()))
                : Optional.empty();
        return new ReportReader(config, err, database);
    }

    /** The day's results per policy domain. */
    List<DomainResults> results(LocalDate day) throws IOException {
        if (fleet.isPresent()) {
            try {
                return fleet.get().results(day);
            } catch (SQLException e) {
                fallBack(e);
            }
        }
        return new DailyAggregator(config.tlsrpt().directory()).aggregate(day);
    }

    /** The day's report state. */
    ReportState state(LocalDate day) throws IOException {
        if (fleet.isPresent()) {
            try {
                return fleet.get().state(day);
            } catch (SQLException e) {
                fallBack(e);
            }
        }
        return ReportState.load(config.tlsrpt().directory(), day);
    }

    /** Every node's results of the day; empty when not reading the fleet database. */
    Optional<List<FleetReportView.NodeResults>> nodes(LocalDate day) {
        if (fleet.isPresent()) {
            try {
                return Optional.of(fleet.get().nodes(day));
            } catch (SQLException e) {
                fallBack(e);
            }
        }
        return Optional.empty();
    }

    private void fallBack(SQLException e) {
        fleet = Optional.empty();
        err.println("sts-relay: warning: the fleet database is unreachable (" + e.getMessage() + "); showing only "
                + "this node's journal and report state, without the other nodes' results");
        err.flush();
    }

    @Override
    public void close() {
        database.ifPresent(FleetDatabase::close);
    }
}
