package org.stsrelay.inbound;

import java.util.Locale;

/** The fixed set of reasons used as metric tags and in rejection log lines. */
enum Reason {
    NONE,
    RELAY_DENIED,
    TOO_BIG,
    LINE_TOO_LONG,
    BARE_LF,
    BARE_CR,
    NUL,
    LOOP,
    TOO_MANY_RECIPIENTS,
    SPOOL_ERROR,
    CONNECTION_LIMIT,
    TIMEOUT,
    DATA_TOO_SLOW,
    TOO_MANY_ERRORS,
    AUTH_FAILED,
    AUTH_THROTTLED,
    STARTTLS_INJECTION,
    SHUTDOWN;

    /** The low-cardinality tag value, e.g. {@code relay_denied}. */
    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
