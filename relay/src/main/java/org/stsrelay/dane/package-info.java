/**
 * DANE for SMTP (RFC 7672): TLSA records as values, which of them are usable (§3.1.3), and authentication of a
 * presented certificate chain against them (§3.1, §3.2) by {@link org.stsrelay.dane.DaneVerifier} and, inside
 * the TLS handshake, {@link org.stsrelay.dane.DaneTrustManager}; knows nothing of DNS or of SMTP delivery.
 */
package org.stsrelay.dane;
