package org.stsrelay.received;

import java.time.LocalDate;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One UTC day of one sending organisation's reports about one domain: the sessions it counted (RFC 8460 §4.4
 * {@code summary}) and its failures by result type (§4.3).
 *
 * @param day               the UTC day the reporting period starts on
 * @param organisation      the reporting organisation ({@code organization-name})
 * @param successful        sessions that succeeded
 * @param failed            sessions that failed
 * @param failuresByType    failed sessions by result type, sorted by type
 */
public record DayRow(
        LocalDate day, String organisation, long successful, long failed, Map<String, Long> failuresByType) {

    /** Copies the map, sorted. */
    public DayRow {
        failuresByType = Collections.unmodifiableMap(new TreeMap<>(failuresByType));
    }
}
