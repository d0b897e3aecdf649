/**
 * Delivery to recipient MX hosts: {@link org.stsrelay.delivery.MxDelivery} routes, lets DANE decide for hosts
 * with DNSSEC-signed TLSA records (RFC 7672, {@link org.stsrelay.delivery.HostPlan}) and applies the domain's
 * MTA-STS policy to the others (RFC 8461 §4, §5), transfers over reused SMTP connections and reports a result
 * per recipient and a TLS result per MX decision; {@link org.stsrelay.delivery.StartTlsProbe} is the
 * {@code check --probe-mx} probe that shares its certificate checks.
 */
package org.stsrelay.delivery;
