package org.stsrelay.tlsrpt;

import java.nio.charset.StandardCharsets;
import org.stsrelay.mail.HeaderSection;

/** RFC 6376 §3.4 "relaxed" canonicalization of header fields and bodies. */
final class DkimCanonical {

    private DkimCanonical() {}

    /**
     * RFC 6376 §3.4.2: lower-case the name, unfold, collapse WSP runs to one SP, drop WSP at the end
     * of the value and around the colon; the result ends in CRLF.
     */
    static String header(String field) {
        int colon = field.indexOf(':');
        String name = field.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT);
        String value = HeaderSection.unfold(field.substring(colon + 1))
                .replaceAll("[ \t]+", " ")
                .strip();
        return name + ":" + value + "\r\n";
    }

    /**
     * RFC 6376 §3.4.4: drop WSP at line ends, collapse WSP runs to one SP, drop empty lines at the end;
     * a non-empty body ends in CRLF.
     */
    static byte[] body(String body) {
        String[] lines = body.split("\r\n", -1);
        StringBuilder out = new StringBuilder(body.length());
        int last = lines.length - 1;
        while (last >= 0 && lines[last].replaceAll("[ \t]+", "").isEmpty()) {
            last--;
        }
        for (int i = 0; i <= last; i++) {
            out.append(lines[i].replaceAll("[ \t]+", " ").stripTrailing()).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
