/**
 * The inbound stage: an ESMTP server (RFC 5321) that accepts mail from allowed clients and answers
 * {@code 250} only after the spool has made the message durable.
 *
 * <p>Pipeline, built by {@link org.stsrelay.inbound.SmtpServerInitializer} with named handlers in
 * this order: {@code limits} (connections in total and per client address), {@code timeouts}
 * (RFC 5321 §4.5.3.2), {@code tls} (added by STARTTLS), {@code framing} (command lines or DATA
 * content), {@code replies} (reply encoder), {@code session} (the state machine).
 *
 * <p>Session contract: {@code greeting → EHLO/HELO → [STARTTLS → EHLO] → [AUTH] → (MAIL → RCPT+ →
 * DATA → queued)*  → QUIT}. Each verb answers {@code 503 5.5.1} out of order.
 *
 * <p>SMTP smuggling decision: only {@code <CRLF>.<CRLF>} ends DATA, and a message that contains a
 * bare CR, a bare LF or a NUL anywhere in its content is REJECTED with {@code 550 5.6.0}; nothing of
 * it is queued. Accepting and "repairing" such content is what lets a relay and the next hop disagree
 * about where a message ends, so sts-relay never guesses. Framing pauses itself (and reading stops)
 * while the session waits for the spool, the password hasher or the TLS handshake, so pipelined
 * commands are answered strictly in order and bytes pipelined after STARTTLS are detected and refused.
 *
 * <p>Abuse: a silent client meets the idle timeout, a dripping one the total DATA limit; failed AUTH
 * is counted per client address across sessions ({@link org.stsrelay.inbound.AuthThrottle}), each
 * failure reply waits longer (scheduled on the channel's executor), and past the limit AUTH from that
 * address is refused with {@code 421 4.7.0} until the failures are forgotten.
 */
package org.stsrelay.inbound;
