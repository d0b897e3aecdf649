/**
 * The owner site: the optional HTTPS listener for the organisation's own receiving domains. It serves each domain's
 * MTA-STS policy file at {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} (RFC 8461 §3.2, §3.3) with the
 * certificate picked by SNI, and takes TLS-RPT reports posted to {@code /tlsrpt} (RFC 8460 §3), handing them to the
 * received-report intake. The site's files are reloaded on change, without a restart.
 */
package org.stsrelay.owner;
