package org.stsrelay.tlsrpt;

import java.util.List;

/**
 * Whether a day's results are all in: every node seen during the day has shipped through its end.
 *
 * @param ready   every result of the day is where the reports are built from
 * @param waiting the nodes (or the reason) still awaited; empty when ready
 */
record Readiness(boolean ready, List<String> waiting) {

    /** A single relay's journal is always complete. */
    static final Readiness READY = new Readiness(true, List.of());

    Readiness {
        waiting = List.copyOf(waiting);
    }
}
