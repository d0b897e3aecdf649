package org.stsrelay.received;

import java.util.List;
import java.util.Optional;

/**
 * What the received reports say about one of the owner's domains ({@code policy-domain}, RFC 8460 §4.4).
 *
 * @param domain    the policy domain, lower case
 * @param verdict   whether it is ready for enforce
 * @param days      per UTC day and organisation, days ascending
 * @param failures  failures by day, organisation, MX, IP and result type
 * @param stale     senders that applied another policy than the one published
 * @param published the policy published now, if known
 * @param reports   how many reports mention the domain
 */
public record DomainSummary(
        String domain,
        Verdict verdict,
        List<DayRow> days,
        List<FailureRow> failures,
        List<StaleSender> stale,
        Optional<PublishedPolicy> published,
        int reports) {

    /** Copies the lists. */
    public DomainSummary {
        days = List.copyOf(days);
        failures = List.copyOf(failures);
        stale = List.copyOf(stale);
    }
}
