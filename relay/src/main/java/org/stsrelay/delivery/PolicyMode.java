package org.stsrelay.delivery;

/** The MTA-STS mode an attempt runs under, after overrides, report-only and TLS-Required: No were applied. */
enum PolicyMode {
    ENFORCE("enforce", "enforce"),
    TESTING("testing", "testing"),
    NONE("none", "none"),
    NO_POLICY("no-policy", "no_policy");

    private final String logToken;
    private final String tag;

    PolicyMode(String logToken, String tag) {
        this.logToken = logToken;
        this.tag = tag;
    }

    /** As the attempt log writes it. */
    String logToken() {
        return logToken;
    }

    /** As metrics tag it (Prometheus label values avoid '-' by convention here). */
    String tag() {
        return tag;
    }
}
