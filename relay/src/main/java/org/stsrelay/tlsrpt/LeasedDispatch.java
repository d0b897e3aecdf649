package org.stsrelay.tlsrpt;

import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.stsrelay.fleet.FleetDatabase;

/**
 * A fleet node's guard: it sends a day's reports only while it holds the day's lease, after shipping its own
 * results, and a day is ready when every node seen during it has shipped through its end.
 */
final class LeasedDispatch implements DispatchGuard {

    private final FleetDatabase database;
    private final ReportLease lease;
    private final ResultShipper shipper;

    LeasedDispatch(FleetDatabase database, ReportLease lease, ResultShipper shipper) {
        this.database = database;
        this.lease = lease;
        this.shipper = shipper;
    }

    @Override
    public Readiness readiness(LocalDate day) {
        return database.call("tlsrpt-readiness", c -> NodeShipments.behind(c, day))
                .map(behind -> new Readiness(behind.isEmpty(), behind))
                .orElseGet(() -> new Readiness(false, List.of("(fleet database unreachable)")));
    }

    @Override
    public <T> Optional<T> run(LocalDate day, Dispatch<T> dispatch) throws IOException {
        if (!lease.acquire(day)) {
            return Optional.empty();
        }
        try {
            // The sender's own latest results go into the report it sends.
            shipper.ship();
            return Optional.of(dispatch.run());
        } finally {
            lease.release(day);
        }
    }

    @Override
    public boolean resultsArriveLate() {
        return true;
    }
}
