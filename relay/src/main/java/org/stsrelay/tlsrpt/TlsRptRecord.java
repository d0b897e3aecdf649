package org.stsrelay.tlsrpt;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.stsrelay.policy.ParseNote;

/**
 * A valid {@code _smtp._tls} TXT record (RFC 8460 §3).
 *
 * @param rua the reporting URIs a report can be sent to ({@code mailto:} and {@code https:} only), in record order
 * @param skipped the rua entries that cannot be used, each with the reason (RFC 8460 §3: skip them)
 * @param extensions the other fields, first occurrence of each name (RFC 8460 §3: ignored)
 * @param notes what the parser tolerated (several rua fields, a repeated field), for {@code check}
 * @param text the record as published, strings concatenated
 */
public record TlsRptRecord(
        List<URI> rua, List<String> skipped, Map<String, String> extensions, List<ParseNote> notes, String text) {

    /** Copies the collections and checks that at least one URI is usable. */
    public TlsRptRecord {
        rua = List.copyOf(rua);
        skipped = List.copyOf(skipped);
        extensions = Map.copyOf(extensions);
        notes = List.copyOf(notes);
        if (rua.isEmpty()) {
            throw new IllegalArgumentException("a TLS-RPT record needs at least one usable rua URI");
        }
    }
}
