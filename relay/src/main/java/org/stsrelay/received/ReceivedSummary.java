package org.stsrelay.received;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The received reports of a window of UTC days, per domain.
 *
 * @param generatedAt when it was made
 * @param from        the first UTC day of the window
 * @param until       the day after the last
 * @param domains     per domain, by name
 */
public record ReceivedSummary(Instant generatedAt, LocalDate from, LocalDate until, List<DomainSummary> domains) {

    /** Copies the list. */
    public ReceivedSummary {
        domains = List.copyOf(domains);
    }

    /** The UTC days of the window, ascending. */
    public List<LocalDate> windowDays() {
        return from.datesUntil(until).toList();
    }
}
