package org.stsrelay.received;

import java.time.LocalDate;
import java.util.List;

/**
 * An organisation that, on a day, applied a policy other than the one published now: it has not fetched the new one
 * yet (RFC 8461 §3.3: senders keep a policy for up to its {@code max_age}).
 *
 * @param day          the UTC day
 * @param organisation the reporting organisation
 * @param applied      the policy lines it applied ({@code policy-string}, RFC 8460 §4.5)
 * @param difference   how they differ from the published policy, one line
 */
public record StaleSender(LocalDate day, String organisation, List<String> applied, String difference) {

    /** Copies the lines. */
    public StaleSender {
        applied = List.copyOf(applied);
    }
}
