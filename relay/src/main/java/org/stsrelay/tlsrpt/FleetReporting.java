package org.stsrelay.tlsrpt;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.stsrelay.fleet.FleetDatabase;

/**
 * TLS-RPT in fleet mode: this node's journal shipped to the fleet database, the reports built from every node's
 * shipped results, their state shared, and each day's reports sent by the node that holds the day's lease.
 */
public final class FleetReporting {

    /**
     * How long a day's lease lasts without renewal; every state save renews it. Long enough for a few slow
     * destinations (a DNS lookup waits up to a minute, an https post up to two), short enough that a node that died
     * while sending delays the others little.
     */
    static final Duration LEASE_TTL = Duration.ofMinutes(10);

    private final ResultShipper shipper;
    private final DailyAggregator aggregator;
    private final ReportStateStore states;
    private final DispatchGuard guard;

    /** The fleet pieces for the journal in {@code directory}, on {@code database}. */
    public FleetReporting(FleetDatabase database, Path directory, MeterRegistry registry, Clock clock) {
        this(database, new ResultShipper(database, directory, registry, clock));
    }

    FleetReporting(FleetDatabase database, ResultShipper shipper) {
        ReportLease lease = new ReportLease(database, LEASE_TTL);
        this.shipper = shipper;
        this.aggregator = new DailyAggregator(new ShippedResults(database));
        this.states = new DatabaseReportStates(database, lease);
        this.guard = new LeasedDispatch(database, lease, shipper);
    }

    /** Ships the journal; run every ship interval and once more at a stop. */
    public ResultShipper shipper() {
        return shipper;
    }

    DailyAggregator aggregator() {
        return aggregator;
    }

    ReportStateStore states() {
        return states;
    }

    DispatchGuard guard() {
        return guard;
    }
}
