package org.stsrelay.received;

/** How a received report arrived. */
public enum Origin {
    /** Posted to the owner site's {@code /tlsrpt} (RFC 8460 §3, {@code https:} rua). */
    HTTPS,
    /** Imported from a message sent to a {@code mailto:} rua (RFC 8460 §3). */
    MAIL,
    /** Imported from a {@code .json} or {@code .json.gz} file. */
    FILE
}
