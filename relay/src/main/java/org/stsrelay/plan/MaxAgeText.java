package org.stsrelay.plan;

import java.util.Optional;
import org.stsrelay.policy.PolicyParser;

/** Reads a {@code --max-age} value: seconds, or a number with s, m, h, d or w ({@code 86400}, {@code 1d}, {@code 2w}). */
final class MaxAgeText {

    // Ten digits is already more than RFC 8461 §3.2 allows; longer input is refused before any arithmetic.
    private static final int MAX_DIGITS = 10;

    private MaxAgeText() {}

    /** The value in seconds, or empty when {@code text} is not a number with an optional unit. */
    static Optional<Long> seconds(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        char last = text.charAt(text.length() - 1);
        long unit = unit(last);
        String digits = unit == 0 ? text : text.substring(0, text.length() - 1);
        if (digits.isEmpty() || digits.length() > MAX_DIGITS || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(digits) * Math.max(unit, 1));
    }

    /** Tells whether {@code seconds} is a max_age a policy may carry (RFC 8461 §3.2: at most 31557600). */
    static boolean inRange(long seconds) {
        return seconds >= 1 && seconds <= PolicyParser.MAX_AGE_LIMIT;
    }

    private static long unit(char suffix) {
        return switch (suffix) {
            case 's' -> 1;
            case 'm' -> 60;
            case 'h' -> 3_600;
            case 'd' -> 86_400;
            case 'w' -> 604_800;
            default -> 0;
        };
    }
}
