package org.stsrelay.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the sizes ({@code 50MB}, {@code 64KiB}) and durations ({@code 5m}, {@code 30s}) used in the configuration. */
final class Units {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*([KMGT]i?B|B)?");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");

    private Units() {}

    /** Octets, or -1 when the text is not a size. */
    static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            return -1;
        }
        long value = Long.parseLong(m.group(1));
        long factor = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            case "TB" -> 1_000_000_000_000L;
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            case "TiB" -> 1L << 40;
            default -> 1L;
        };
        return value > Long.MAX_VALUE / factor ? -1 : value * factor;
    }

    /** The duration, or null when the text is not one. */
    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        long value = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(value);
            case "s" -> Duration.ofSeconds(value);
            case "m" -> Duration.ofMinutes(value);
            case "h" -> Duration.ofHours(value);
            default -> Duration.ofDays(value);
        };
    }

    /** A duration as ISO-8601 without its {@code PT} prefix, in lower case: {@code 5m}, {@code 1h30m}, {@code 0.5s}. */
    static String format(Duration duration) {
        // A bound under a second reads as the milliseconds it is written in ("20ms", not "0.02s").
        if (!duration.isZero()
                && duration.compareTo(Duration.ofSeconds(1)) < 0
                && duration.toNanos() % 1_000_000 == 0) {
            return duration.toMillis() + "ms";
        }
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
