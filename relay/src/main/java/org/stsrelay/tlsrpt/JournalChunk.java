package org.stsrelay.tlsrpt;

import java.time.LocalDate;
import java.util.List;

/**
 * A run of complete journal lines of one day file, read for shipping: bytes {@code from} (inclusive) to
 * {@code to} (exclusive), a line boundary both, and their intact results counted in groups.
 *
 * @param day     the UTC day of the file
 * @param from    the first byte
 * @param to      the byte after the last newline
 * @param groups  the results of the lines, counted; torn or corrupt lines count nothing
 * @param results how many results the groups hold
 * @param more    the file held more than one chunk takes: the rest is the next chunk
 */
record JournalChunk(LocalDate day, long from, long to, List<ResultGroup> groups, long results, boolean more) {

    JournalChunk {
        groups = List.copyOf(groups);
        if (to <= from) {
            throw new IllegalArgumentException("an empty chunk: " + from + ".." + to);
        }
    }
}
