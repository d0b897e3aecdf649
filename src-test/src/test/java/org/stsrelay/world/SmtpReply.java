package org.stsrelay.world;

import java.util.List;
import java.util.Locale;

/**
 * One SMTP reply (RFC 5321 §4.2): a code and its lines of text, without the code prefixes.
 *
 * @param code the three-digit reply code
 * @param lines the text of each line, without "250-" / "250 "
 */
public record SmtpReply(int code, List<String> lines) {

    public SmtpReply {
        lines = List.copyOf(lines);
    }

    /** The text of the final line. */
    public String last() {
        return lines.get(lines.size() - 1);
    }

    /** Whether an EHLO reply advertises {@code keyword} (its first word on some line after the first). */
    public boolean advertises(String keyword) {
        return lines.stream()
                .skip(1)
                .map(line -> line.split(" ", 2)[0].toUpperCase(Locale.ROOT))
                .anyMatch(keyword.toUpperCase(Locale.ROOT)::equals);
    }

    @Override
    public String toString() {
        return code + " " + String.join(" / ", lines);
    }
}
