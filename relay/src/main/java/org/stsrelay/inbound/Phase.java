package org.stsrelay.inbound;

/** Where a session is in the RFC 5321 §3 command sequence. */
enum Phase {
    /** Greeted; EHLO/HELO not yet (or again, after STARTTLS). */
    CONNECTED,
    /** EHLO/HELO done; no transaction open. */
    READY,
    /** MAIL accepted; no recipient yet. */
    MAIL,
    /** At least one RCPT accepted. */
    RCPT,
    /** Receiving DATA content. */
    DATA,
    /** Content received; waiting for the spool to make it durable. */
    COMMITTING,
    /** In an AUTH exchange or waiting for the password check. */
    AUTH,
    /** STARTTLS accepted; waiting for the handshake. */
    TLS_HANDSHAKE,
    /** QUIT, an error or a timeout; nothing more is read. */
    CLOSED
}
