package org.stsrelay.tlsrpt;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.fleet.FleetDatabase;

/**
 * Ships this node's TLS result journal to the fleet database, where every node's results make the fleet's reports.
 *
 * <p>The journal stays the durable record and the database is never on the delivery path: every ship interval
 * the complete lines of each recent day file past the shipped position go, fsynced first, as one batch row per
 * chunk, counted in groups. The database is the truth about the shipped position (the end of the node's last
 * batch of the day), asked once and then remembered, and asked again after any failure. A batch is keyed by its
 * first byte, so a retry or a restart that ships the same lines again stores nothing twice, and as the position
 * only moves with a commit nothing is skipped. The batches and the node's {@code shipped_through} are written in
 * one transaction.
 */
public final class ResultShipper {

    private static final Logger LOG = LoggerFactory.getLogger(ResultShipper.class);

    /** Day files shipped: today and the two days before; older days' reports are sent and done. */
    static final int RECENT_DAYS = 3;

    /** Days of batches kept: the reports of a day are retried for up to a week (ReportScheduler). */
    static final int KEEP_DAYS = 14;

    private final FleetDatabase database;
    private final JournalTail tail;
    private final ShippedBatches batches;
    private final ShipmentMetrics metrics;
    private final Clock clock;
    private final Map<LocalDate, Long> positions = new HashMap<>();
    private final Map<LocalDate, Long> counted = new HashMap<>();
    private LocalDate pruned;

    /** A shipper of the journal in {@code directory}. */
    public ResultShipper(FleetDatabase database, Path directory, MeterRegistry registry, Clock clock) {
        this(database, new JournalTail(directory), registry, clock);
    }

    ResultShipper(FleetDatabase database, JournalTail tail, MeterRegistry registry, Clock clock) {
        this.database = database;
        this.tail = tail;
        this.batches = new ShippedBatches(database.node());
        this.metrics = new ShipmentMetrics(registry, clock);
        this.clock = clock;
    }

    /**
     * Ships everything the journal holds now; false when the database could not be reached or the journal read,
     * a value, not an error: the next shipment goes on from the last one stored.
     */
    public synchronized boolean ship() {
        Instant through = clock.instant();
        List<LocalDate> days = recentDays(through);
        positions.keySet().retainAll(days);
        counted.keySet().retainAll(days);
        if (!knowPositions(days)) {
            return failed(days);
        }
        long batchCount = 0;
        long resultCount = 0;
        boolean caughtUp;
        do {
            List<JournalChunk> chunks = read(days);
            if (chunks == null) {
                return false;
            }
            caughtUp = chunks.stream().noneMatch(JournalChunk::more);
            Optional<Instant> shippedThrough = caughtUp ? Optional.of(through) : Optional.empty();
            if (database.call("tlsrpt-ship", c -> store(c, chunks, shippedThrough))
                    .isEmpty()) {
                return failed(days);
            }
            chunks.forEach(chunk -> positions.put(chunk.day(), chunk.to()));
            batchCount += chunks.size();
            resultCount += chunks.stream().mapToLong(JournalChunk::results).sum();
        } while (!caughtUp);
        metrics.shipped(batchCount, resultCount);
        metrics.unshipped(0);
        counted.putAll(positions);
        prune(days.get(0));
        return true;
    }

    /** The last shipment at a stop, after the journal closed, if the database answered lately. */
    public void shipFinal() {
        if (database.reachable() && ship()) {
            LOG.info("TLS-RPT: the journal is shipped to the fleet database");
        }
    }

    private static List<LocalDate> recentDays(Instant now) {
        LocalDate today = JournalFormat.dayOf(now);
        List<LocalDate> days = new ArrayList<>(RECENT_DAYS);
        for (int back = 0; back < RECENT_DAYS; back++) {
            days.add(today.minusDays(back));
        }
        return days;
    }

    private boolean knowPositions(List<LocalDate> days) {
        List<LocalDate> unknown =
                days.stream().filter(d -> !positions.containsKey(d)).toList();
        if (unknown.isEmpty()) {
            return true;
        }
        Optional<Map<LocalDate, Long>> stored = database.call("tlsrpt-position", c -> {
            Map<LocalDate, Long> found = new HashMap<>();
            for (LocalDate day : unknown) {
                found.put(day, batches.position(c, day));
            }
            return found;
        });
        stored.ifPresent(positions::putAll);
        return stored.isPresent();
    }

    /** The next chunk of each day with lines past its position; null when the journal cannot be read. */
    private List<JournalChunk> read(List<LocalDate> days) {
        List<JournalChunk> chunks = new ArrayList<>();
        try {
            for (LocalDate day : days) {
                tail.read(day, positions.get(day)).ifPresent(chunks::add);
            }
            return chunks;
        } catch (IOException e) {
            LOG.warn("TLS-RPT: cannot read the journal to ship it: {}", e.toString());
            return null;
        }
    }

    private Boolean store(Connection c, List<JournalChunk> chunks, Optional<Instant> through) throws SQLException {
        for (JournalChunk chunk : chunks) {
            if (!batches.insert(c, chunk)) {
                // Only a second relay shipping under this node's name gets here: our position came from the database.
                throw new SQLException("a batch of " + chunk.day() + " at " + chunk.from() + " is already stored: "
                        + "is another relay running as node " + database.node() + "?");
            }
        }
        NodeShipments.record(c, database.node(), clock.instant(), through, 0);
        return Boolean.TRUE;
    }

    /**
     * After a failed shipment the positions are asked of the database again, and the lines written since the last
     * look are counted as unshipped (from the start of the file when this run never shipped).
     */
    private boolean failed(List<LocalDate> days) {
        positions.clear();
        long added = 0;
        for (LocalDate day : days) {
            try {
                JournalTail.LineCount count = tail.countLines(day, counted.getOrDefault(day, 0L));
                counted.put(day, count.end());
                added += count.lines();
            } catch (IOException e) {
                LOG.debug("TLS-RPT: cannot count unshipped results of {}: {}", day, e.toString());
            }
        }
        metrics.unshipped(metrics.unshipped() + added);
        return false;
    }

    /** Once a day: this node's batches of days whose reports are done are deleted. */
    private void prune(LocalDate today) {
        if (today.equals(pruned)) {
            return;
        }
        database.call("tlsrpt-prune", c -> batches.prune(c, today.minusDays(KEEP_DAYS)))
                .ifPresent(deleted -> pruned = today);
    }
}
