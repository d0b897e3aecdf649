/** TLS reporting (RFC 8460): the {@code _smtp._tls} record parser; results and daily reports come later. */
package org.stsrelay.tlsrpt;
