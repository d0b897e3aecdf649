/**
 * DANE for SMTP (RFC 7672): TLSA records as values, which of them are usable (§3.1.3), which hosts DANE applies
 * to from their DNSSEC-validated answers ({@link org.stsrelay.dane.DaneLookup}, §2.2), and authentication of a
 * presented certificate chain against the records ({@link org.stsrelay.dane.DaneVerifier}, §3.1, §3.2). Knows
 * nothing of SMTP delivery, which applies the verdicts.
 */
package org.stsrelay.dane;
