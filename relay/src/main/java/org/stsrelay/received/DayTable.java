package org.stsrelay.received;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Adds up the sessions and failures of applied policies per UTC day and organisation. */
final class DayTable {

    private DayTable() {}

    private record DayOrg(LocalDate day, String organisation) {}

    private record FailureKey(
            LocalDate day,
            String organisation,
            String policyType,
            String resultType,
            String mx,
            String ip,
            String reasons) {}

    /** One row per day and organisation, days ascending, then organisations by name. */
    static List<DayRow> rows(List<Applied> applied) {
        Map<DayOrg, long[]> sessions = new HashMap<>();
        Map<DayOrg, Map<String, Long>> byType = new HashMap<>();
        for (Applied a : applied) {
            DayOrg key = new DayOrg(a.day(), a.organisation());
            long[] counts = sessions.computeIfAbsent(key, k -> new long[2]);
            counts[0] += a.policy().totalSuccessful();
            counts[1] += a.policy().totalFailure();
            Map<String, Long> types = byType.computeIfAbsent(key, k -> new TreeMap<>());
            for (ReportedFailure f : a.policy().failures()) {
                types.merge(f.resultType(), f.failedSessionCount(), Long::sum);
            }
        }
        List<DayRow> rows = new ArrayList<>();
        sessions.forEach((key, counts) ->
                rows.add(new DayRow(key.day(), key.organisation(), counts[0], counts[1], byType.get(key))));
        rows.sort(Comparator.comparing(DayRow::day).thenComparing(DayRow::organisation));
        return rows;
    }

    /** The failure details added up per day, organisation, policy type, result type, MX, IP and reason. */
    static List<FailureRow> failures(List<Applied> applied) {
        Map<FailureKey, Long> counts = new HashMap<>();
        for (Applied a : applied) {
            for (ReportedFailure f : a.policy().failures()) {
                FailureKey key = new FailureKey(
                        a.day(),
                        a.organisation(),
                        a.policy().policyType(),
                        f.resultType(),
                        f.receivingMxHostname().orElse(""),
                        f.receivingIp().orElse(""),
                        reasons(f));
                counts.merge(key, f.failedSessionCount(), Long::sum);
            }
        }
        List<FailureRow> rows = new ArrayList<>();
        counts.forEach((k, count) -> rows.add(new FailureRow(
                k.day(), k.organisation(), k.policyType(), k.resultType(), k.mx(), k.ip(), k.reasons(), count)));
        rows.sort(Comparator.comparing(FailureRow::day)
                .thenComparing(FailureRow::organisation)
                .thenComparing(FailureRow::mxHost)
                .thenComparing(FailureRow::ip)
                .thenComparing(FailureRow::resultType)
                .thenComparing(FailureRow::reasons));
        return rows;
    }

    // RFC 8460 §4.4: failure-reason-code is the sender's own text; additional-information is a URI with more.
    private static String reasons(ReportedFailure f) {
        List<String> parts = new ArrayList<>();
        f.failureReasonCode().filter(s -> !s.isBlank()).ifPresent(parts::add);
        f.additionalInformation().filter(s -> !s.isBlank()).ifPresent(parts::add);
        return String.join("; ", parts);
    }
}
