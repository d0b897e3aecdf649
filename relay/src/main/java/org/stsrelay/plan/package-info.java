/**
 * {@code domain plan}: reads a receiving domain's MTA-STS and TLS-RPT state, decides the records and policy file to
 * publish (RFC 8461 §3, RFC 8460 §3), proves them with the relay's own parsers, and prints them with the rollout steps.
 */
package org.stsrelay.plan;
