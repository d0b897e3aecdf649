package org.stsrelay.policy;

import java.net.IDN;
import java.util.Optional;

/**
 * One {@code mx} pattern of a policy: a host name, or {@code *.} and a domain.
 *
 * @param pattern the pattern in lower-case A-label form, without a trailing dot
 */
public record MxPattern(String pattern) {

    private static final String WILDCARD = "*.";

    /** Validates that the pattern is already normalised; use {@link #parse} for text from a policy. */
    public MxPattern {
        String domain = pattern.startsWith(WILDCARD) ? pattern.substring(WILDCARD.length()) : pattern;
        if (!DomainNames.isNormal(domain)) {
            throw new IllegalArgumentException("not a normalised mx pattern: " + pattern);
        }
    }

    /** Parses an {@code mx} value, converting U-labels to A-labels; empty if it is not {@code ["*."] Domain}. */
    public static Optional<MxPattern> parse(String value) {
        boolean wildcard = value.startsWith(WILDCARD);
        String domain = wildcard ? value.substring(WILDCARD.length()) : value;
        if (domain.indexOf('*') >= 0) {
            return Optional.empty();
        }
        return DomainNames.normalize(domain).map(d -> new MxPattern(wildcard ? WILDCARD + d : d));
    }

    /** Tells whether this is a {@code *.} pattern. */
    public boolean isWildcard() {
        return pattern.startsWith(WILDCARD);
    }

    /**
     * Tells whether the MX host name {@code host} matches this pattern (RFC 8461 §4.1).
     * Allocates nothing for ASCII host names.
     */
    public boolean matches(String host) {
        String name = host;
        if (!DomainNames.isAscii(name)) {
            try {
                name = IDN.toASCII(name);
            } catch (IllegalArgumentException notIdna) {
                return false;
            }
        }
        // RFC 8461 §4.1: a trailing dot on the MX name is not significant.
        int length = name.endsWith(".") ? name.length() - 1 : name.length();
        if (!isWildcard()) {
            // RFC 6125 §6.4.1: labels compare as case-insensitive ASCII.
            return length == pattern.length() && name.regionMatches(true, 0, pattern, 0, length);
        }
        // RFC 8461 §4.1: "*" matches exactly the entire left-most label, never several labels or none.
        int suffixLength = pattern.length() - 1;
        int labelLength = length - suffixLength;
        if (labelLength <= 0 || !name.regionMatches(true, labelLength, pattern, 1, suffixLength)) {
            return false;
        }
        // RFC 8461 §4.1 with RFC 6125 §6.4.3: "*" stands for a host's label; a name whose left-most label is a
        // literal "*" is itself a wildcard, not a host, and never matches.
        for (int i = 0; i < labelLength; i++) {
            if (name.charAt(i) == '.' || name.charAt(i) == '*') {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
