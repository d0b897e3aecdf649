package org.stsrelay.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The content of a parsed policy file (RFC 8461 §3.2), with the raw text it came from.
 *
 * @param mode the policy mode
 * @param mx the mx patterns, in file order; may be empty only when the mode is {@link Mode#NONE}
 * @param maxAgeSeconds the max_age in seconds, already clamped to {@link PolicyParser#MAX_AGE_LIMIT}
 * @param extensions unknown fields, first occurrence of each name, in file order
 * @param notes what the parser tolerated (clamping, ignored duplicates, layout), for {@code check} to report
 * @param text the policy file exactly as fetched
 */
public record PolicyDocument(
        Mode mode,
        List<MxPattern> mx,
        long maxAgeSeconds,
        Map<String, String> extensions,
        List<ParseNote> notes,
        String text) {

    /** Checks the invariants every accepted policy satisfies. */
    public PolicyDocument {
        mx = List.copyOf(mx);
        extensions = Map.copyOf(extensions);
        notes = List.copyOf(notes);
        if (maxAgeSeconds < 0 || maxAgeSeconds > PolicyParser.MAX_AGE_LIMIT) {
            throw new IllegalArgumentException("max_age out of range: " + maxAgeSeconds);
        }
        if (mx.isEmpty() && mode != Mode.NONE) {
            throw new IllegalArgumentException("mode " + mode.token() + " without mx patterns");
        }
    }

    /** Returns max_age as a duration. */
    public Duration maxAge() {
        return Duration.ofSeconds(maxAgeSeconds);
    }

    /** Returns the policy lines without terminators, as TLS-RPT's {@code policy-string} wants them (RFC 8460 §4.5). */
    public List<String> lines() {
        return PolicyParser.splitLines(text).stream()
                .filter(line -> !line.isBlank())
                .toList();
    }

    /** Tells whether any mx pattern matches {@code host} (RFC 8461 §4.1); allocates nothing for ASCII names. */
    public boolean matchesMx(String host) {
        for (int i = 0, n = mx.size(); i < n; i++) {
            if (mx.get(i).matches(host)) {
                return true;
            }
        }
        return false;
    }
}
