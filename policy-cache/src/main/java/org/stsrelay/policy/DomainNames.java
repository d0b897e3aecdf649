package org.stsrelay.policy;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;

/** Normalises domain names to the lower-case A-label form without a trailing dot that policies are keyed and matched by. */
public final class DomainNames {

    private static final int MAX_NAME = 253;
    private static final int MAX_LABEL = 63;

    private DomainNames() {}

    /** Returns {@code name} in lower-case A-label form without a trailing dot, or empty if it is not a host name. */
    public static Optional<String> normalize(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.empty();
        }
        String candidate = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (!isAscii(candidate)) {
            try {
                // RFC 8461 §3.2: patterns and names are compared in A-label form.
                candidate = IDN.toASCII(candidate);
            } catch (IllegalArgumentException notIdna) {
                return Optional.empty();
            }
        }
        if (!isNormal(candidate)) {
            candidate = candidate.toLowerCase(Locale.ROOT);
        }
        return isNormal(candidate) ? Optional.of(candidate) : Optional.empty();
    }

    /** Tells whether {@code name} is already a lower-case LDH host name with no trailing dot; allocates nothing. */
    public static boolean isNormal(String name) {
        int length = name.length();
        if (length == 0 || length > MAX_NAME) {
            return false;
        }
        int labelStart = 0;
        for (int i = 0; i <= length; i++) {
            char c = i == length ? '.' : name.charAt(i);
            if (c == '.') {
                if (!isLabel(name, labelStart, i)) {
                    return false;
                }
                labelStart = i + 1;
            } else if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    static boolean isAscii(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    // RFC 5321 §4.1.2: sub-domain = Let-dig [Ldh-str], so no hyphen at either end.
    private static boolean isLabel(String name, int start, int end) {
        int length = end - start;
        return length > 0 && length <= MAX_LABEL && name.charAt(start) != '-' && name.charAt(end - 1) != '-';
    }
}
