package org.stsrelay.mail;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Formats instants as RFC 5322 §3.3 date-times, for Date, Received and DSN date fields. */
public final class MailDates {

    // RFC 5322 §3.3: the zone is numeric, "+0000" for UTC; "GMT" is obsolete syntax (§4.3) and never written.
    // English day and month names are part of the grammar, so the locale is fixed.
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern(
                    "EEE, d MMM yyyy HH:mm:ss xx", Locale.US)
            .withZone(ZoneOffset.UTC);

    private MailDates() {}

    /** The RFC 5322 date-time of {@code instant} in UTC, e.g. {@code Sat, 2 Mar 2024 01:15:00 +0000}. */
    public static String format(Instant instant) {
        return DATE_TIME.format(instant);
    }
}
