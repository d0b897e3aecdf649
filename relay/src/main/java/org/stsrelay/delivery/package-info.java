/**
 * Delivery to recipient MX hosts. So far: the STARTTLS probe that {@code check --probe-mx} uses, with the
 * certificate checks delivery will apply (PKIX chain, RFC 6125 name of the MX host dialled).
 */
package org.stsrelay.delivery;
