package org.stsrelay.tlsrpt;

import java.io.IOException;
import java.time.LocalDate;
import java.util.Optional;

/**
 * What the report scheduler asks before it sends: whether a day's results are all in, and whether this node may
 * send the day's reports now. A single relay always may; a fleet node only under the day's lease.
 */
interface DispatchGuard {

    /** A single relay's guard: its results are its own, and nobody else sends its reports. */
    DispatchGuard SINGLE_NODE = new DispatchGuard() {
        @Override
        public Readiness readiness(LocalDate day) {
            return Readiness.READY;
        }

        @Override
        public <T> Optional<T> run(LocalDate day, Dispatch<T> dispatch) throws IOException {
            return Optional.of(dispatch.run());
        }

        @Override
        public boolean resultsArriveLate() {
            return false;
        }
    };

    /** Whether every node's results of {@code day} are in. */
    Readiness readiness(LocalDate day);

    /** Runs {@code dispatch} if this node may send the day's reports now; empty when it may not (try again later). */
    <T> Optional<T> run(LocalDate day, Dispatch<T> dispatch) throws IOException;

    /** Whether a day's policy domains can appear after midnight (other nodes' shipments), so plans are topped up. */
    boolean resultsArriveLate();

    /** A dispatch of reports. */
    @FunctionalInterface
    interface Dispatch<T> {
        T run() throws IOException;
    }
}
