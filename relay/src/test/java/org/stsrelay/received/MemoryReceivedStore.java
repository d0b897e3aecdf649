package org.stsrelay.received;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A received-report store in memory, for tests. */
public final class MemoryReceivedStore implements ReceivedStore {

    private final List<StoredReport> reports = new ArrayList<>();

    /** A store holding {@code reports}. */
    public MemoryReceivedStore(List<StoredReport> reports) {
        this.reports.addAll(reports);
    }

    @Override
    public synchronized Stored store(StoredReport report) {
        boolean known = reports.stream()
                .anyMatch(r -> r.submitter().equals(report.submitter())
                        && r.report().reportId().equals(report.report().reportId()));
        if (known) {
            return Stored.DUPLICATE;
        }
        reports.add(report);
        return Stored.STORED;
    }

    @Override
    public synchronized List<StoredReport> reports(LocalDate from, LocalDate until) {
        return reports.stream()
                .filter(r -> {
                    LocalDate day = LocalDate.ofInstant(r.report().start(), ZoneOffset.UTC);
                    return !day.isBefore(from) && day.isBefore(until);
                })
                .toList();
    }
}
