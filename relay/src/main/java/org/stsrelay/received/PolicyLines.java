package org.stsrelay.received;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the lines of an MTA-STS policy as a sender reported them in {@code policy-string} (RFC 8460 §4.5), or as the
 * owner publishes them, so that the two can be compared by content.
 */
final class PolicyLines {

    // RFC 8461 §3.2: these are the fields a policy is made of; extensions do not change what a sender enforces.
    private static final List<String> FIELDS = List.of("version", "mode", "mx", "max_age");

    private PolicyLines() {}

    /** The policy's fields as {@code key: value}, keys lower case, in a canonical order, extensions dropped. */
    static List<String> canonical(List<String> strings) {
        List<String> fields = new ArrayList<>();
        for (String line : split(strings)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                if (FIELDS.contains(key)) {
                    fields.add(key + ": " + (key.equals("mx") ? value.toLowerCase(Locale.ROOT) : value));
                }
            }
        }
        fields.sort(null);
        return List.copyOf(fields);
    }

    /** The {@code mode} field, lower case, if there is one. */
    static Optional<String> mode(List<String> strings) {
        return canonical(strings).stream()
                .filter(line -> line.startsWith("mode: "))
                .map(line -> line.substring("mode: ".length()).toLowerCase(Locale.ROOT))
                .findFirst();
    }

    /** The lines of a policy text, blank ones dropped (RFC 8461 §3.2: lines end in CRLF, or LF as sent by many). */
    static List<String> lines(String text) {
        return split(List.of(text));
    }

    // Some senders put the whole policy in one string; split on the line ends it still carries.
    private static List<String> split(List<String> strings) {
        List<String> lines = new ArrayList<>();
        for (String s : strings) {
            for (String line : s.split("\r?\n")) {
                if (!line.isBlank()) {
                    lines.add(line.strip());
                }
            }
        }
        return lines;
    }
}
