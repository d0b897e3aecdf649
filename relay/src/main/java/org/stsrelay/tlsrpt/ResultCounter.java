package org.stsrelay.tlsrpt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Merges results and groups into one count per {@link ResultKey}, in the order keys first appear. */
final class ResultCounter {

    private final Map<ResultKey, Long> counts = new LinkedHashMap<>();
    private long total;

    /** Counts one result. */
    void add(JournalEntry entry) {
        add(entry.key(), 1);
    }

    /** Counts a group. */
    void add(ResultGroup group) {
        add(group.key(), group.count());
    }

    private void add(ResultKey key, long count) {
        counts.merge(key, count, Long::sum);
        total += count;
    }

    /** The results counted so far. */
    long total() {
        return total;
    }

    /** One group per key. */
    List<ResultGroup> groups() {
        List<ResultGroup> out = new ArrayList<>(counts.size());
        counts.forEach((key, count) -> out.add(new ResultGroup(key, count)));
        return out;
    }
}
