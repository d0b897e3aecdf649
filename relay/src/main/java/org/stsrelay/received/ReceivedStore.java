package org.stsrelay.received;

import java.io.IOException;
import java.time.LocalDate;
import java.util.List;

/** Where received reports are kept, each once. */
public interface ReceivedStore {

    /** Whether a report was stored, or was there already. */
    enum Stored {
        STORED,
        DUPLICATE
    }

    /**
     * Stores {@code report} durably (written and synced before this returns) unless a report with the same submitter
     * and report-id is stored already.
     */
    Stored store(StoredReport report) throws IOException;

    /** The stored reports whose period starts on a UTC day from {@code from} up to, not including, {@code until}. */
    List<StoredReport> reports(LocalDate from, LocalDate until) throws IOException;

    /** How many reports are stored whose period starts on {@code day}. */
    default int count(LocalDate day) throws IOException {
        return reports(day, day.plusDays(1)).size();
    }
}
