package org.stsrelay.tlsrpt;

import java.io.IOException;
import java.time.LocalDate;

/**
 * Where the report state of each day is kept: a file in the TLS-RPT directory for a single relay, the fleet
 * database in fleet mode, so that whichever node sends a day's reports sees what the others already sent.
 */
interface ReportStateStore {

    /** The day's state; empty when nothing was sent yet. IOException when the store cannot be read. */
    ReportState load(LocalDate day) throws IOException;

    /** Replaces the day's state; IOException when it could not be stored (the sending stops). */
    void save(ReportState state) throws IOException;
}
