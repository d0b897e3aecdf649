/**
 * Delivery to recipient MX hosts: {@link org.stsrelay.delivery.MxDelivery} routes, applies the domain's MTA-STS
 * policy to each MX (RFC 8461 §4, §5), transfers over reused SMTP connections and reports a result per
 * recipient and a TLS result per MX decision; {@link org.stsrelay.delivery.StartTlsProbe} is the
 * {@code check --probe-mx} probe that shares its certificate checks.
 */
package org.stsrelay.delivery;
