/**
 * MTA-STS policy discovery, fetch, parsing, MX matching and caching (RFC 8461). Knows nothing of SMTP.
 */
package org.stsrelay.policy;
