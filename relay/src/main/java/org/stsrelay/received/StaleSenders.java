package org.stsrelay.received;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds senders that applied an older MTA-STS policy than the one published. Reports carry the policy lines they
 * applied but no {@code id} (RFC 8460 §4.4 has no field for it), so the policies are compared by content: {@code
 * version}, {@code mode}, {@code mx} and {@code max_age} (RFC 8461 §3.2), extensions ignored.
 */
final class StaleSenders {

    private StaleSenders() {}

    private record Key(LocalDate day, String organisation, List<String> applied) {}

    /** One entry per day, organisation and applied policy that differs from {@code published}. */
    static List<StaleSender> find(List<Applied> applied, PublishedPolicy published) {
        List<String> current = PolicyLines.canonical(published.lines());
        Map<Key, StaleSender> found = new LinkedHashMap<>();
        for (Applied a : applied) {
            if (!a.isSts() || a.policy().policyStrings().isEmpty()) {
                continue;
            }
            List<String> theirs = PolicyLines.canonical(a.policy().policyStrings());
            if (!theirs.equals(current)) {
                Key key = new Key(a.day(), a.organisation(), theirs);
                found.putIfAbsent(key, new StaleSender(a.day(), a.organisation(), theirs, difference(theirs, current)));
            }
        }
        List<StaleSender> stale = new ArrayList<>(found.values());
        stale.sort(Comparator.comparing(StaleSender::day).thenComparing(StaleSender::organisation));
        return stale;
    }

    private static String difference(List<String> theirs, List<String> current) {
        List<String> parts = new ArrayList<>();
        List<String> missing = new ArrayList<>(current);
        missing.removeAll(theirs);
        List<String> extra = new ArrayList<>(theirs);
        extra.removeAll(current);
        if (!extra.isEmpty()) {
            parts.add("applied " + String.join(", ", extra));
        }
        if (!missing.isEmpty()) {
            parts.add("published " + String.join(", ", missing));
        }
        return String.join("; ", parts);
    }
}
