package org.stsrelay.inbound;

/** Asks a session to close as soon as no transaction is in flight (server shutdown). */
enum ShutdownEvent {
    INSTANCE
}
