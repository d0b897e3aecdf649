package org.stsrelay.received;

import java.util.List;

/** What the parser made of a report's JSON text: the report and its tolerated quirks, or why it has no meaning. */
sealed interface ParsedReport {

    /**
     * A report with a clear meaning.
     *
     * @param report the report
     * @param notes  the quirks tolerated on the way, one line each
     */
    record Parsed(ReceivedReport report, List<String> notes) implements ParsedReport {

        public Parsed {
            notes = List.copyOf(notes);
        }
    }

    /** Not a report: the reason, one line. */
    record Malformed(String reason) implements ParsedReport {}
}
