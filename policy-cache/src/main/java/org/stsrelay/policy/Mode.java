package org.stsrelay.policy;

import java.util.Optional;

/** The mode of an MTA-STS policy (RFC 8461 §5). */
public enum Mode {
    ENFORCE("enforce"),
    TESTING("testing"),
    NONE("none");

    private final String token;

    Mode(String token) {
        this.token = token;
    }

    /** Returns the policy-file spelling of this mode. */
    public String token() {
        return token;
    }

    /** Returns the mode spelled exactly as {@code token}; RFC 8461 §3.2 values are case-sensitive. */
    public static Optional<Mode> fromToken(String token) {
        for (Mode mode : values()) {
            if (mode.token.equals(token)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
