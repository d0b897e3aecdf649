package org.stsrelay.inbound;

import java.util.ArrayList;
import java.util.List;

/** The EHLO reply: which service extensions are offered in the current state of the session. */
final class Extensions {

    private Extensions() {}

    /**
     * The multi-line EHLO reply (RFC 5321 §4.1.1.1); STARTTLS only before TLS (RFC 3207 §4.2),
     * REQUIRETLS (RFC 8689 §2) and AUTH only after it.
     */
    static Reply ehlo(String hostname, long maxSize, boolean tlsOffered, boolean tlsActive, boolean authOffered) {
        List<String> lines = new ArrayList<>(List.of(
                hostname, "PIPELINING", "SIZE " + maxSize, "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "DSN"));
        if (tlsOffered && !tlsActive) {
            lines.add("STARTTLS");
        }
        if (tlsActive) {
            lines.add("REQUIRETLS");
        }
        if (authOffered && tlsActive) {
            lines.add("AUTH PLAIN LOGIN");
        }
        lines.add("HELP");
        return new Reply(250, "", lines);
    }
}
