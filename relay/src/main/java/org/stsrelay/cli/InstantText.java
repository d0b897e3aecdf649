package org.stsrelay.cli;

import java.time.Instant;

/**
 * Writes instants exactly as {@link Instant#toString()} does (ISO-8601 in UTC), remembering the text of the
 * last whole second: a listing of a deep queue writes hundreds of thousands of times that mostly share
 * their second with the time before, and formatting each through {@code DateTimeFormatter} dominated it.
 */
final class InstantText {

    private long second = Long.MIN_VALUE;
    /** The text of {@link #second} without the zone designator, e.g. {@code 2026-03-02T10:00:00}. */
    private String prefix = "";

    /** Appends {@code instant} to {@code out} as {@code instant.toString()} would. */
    StringBuilder append(StringBuilder out, Instant instant) {
        if (instant.getEpochSecond() != second) {
            String whole = Instant.ofEpochSecond(instant.getEpochSecond()).toString();
            prefix = whole.substring(0, whole.length() - 1);
            second = instant.getEpochSecond();
        }
        out.append(prefix);
        int nano = instant.getNano();
        // ISO-8601 as java.time writes it: the fraction in groups of three digits, as few as hold it.
        if (nano != 0) {
            int digits = nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
            int value = digits == 3 ? nano / 1_000_000 : digits == 6 ? nano / 1_000 : nano;
            String text = Integer.toString(value);
            out.append('.');
            for (int pad = text.length(); pad < digits; pad++) {
                out.append('0');
            }
            out.append(text);
        }
        return out.append('Z');
    }
}
