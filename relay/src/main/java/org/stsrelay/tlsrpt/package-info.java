/**
 * TLS reporting (RFC 8460): the {@code _smtp._tls} record parser, the result journal, daily aggregation
 * and the report JSON.
 */
package org.stsrelay.tlsrpt;
