/**
 * The TLS-RPT reports that the organisation's own domains receive (RFC 8460): their intake from the owner site and
 * from mail, validation against RFC 8460 §4.4, durable storage, and the summaries that say when a domain is ready for
 * MTA-STS {@code enforce}.
 */
package org.stsrelay.received;
