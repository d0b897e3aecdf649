package org.stsrelay.world;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of the relay's log per MX host DANE judged (RFC 7672): {@code dane id=… domain=… mx=… ip=…
 * policy=dane tlsa-base=… enforced=yes|no result=… detail="…"}.
 *
 * @param id the queue id
 * @param domain the recipient domain
 * @param mx the MX host
 * @param ip the address connected to, "-" when none was
 * @param tlsaBase the TLSA base domain
 * @param enforced whether DANE decided (no: report-only)
 * @param result "success", the RFC 8460 result type, or "unreachable"
 * @param detail the record that matched, or why none did
 */
public record DaneLine(
        String id,
        String domain,
        String mx,
        String ip,
        String tlsaBase,
        boolean enforced,
        String result,
        String detail) {

    private static final Pattern LINE = Pattern.compile("dane id=(\\S+) domain=(\\S+) mx=(\\S+) ip=(\\S+)"
            + " policy=dane tlsa-base=(\\S+) enforced=(yes|no) result=(\\S+) detail=\"(.*)\"");

    /** The DANE line a log line is, if it is one. */
    public static Optional<DaneLine> parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new DaneLine(
                m.group(1),
                m.group(2),
                m.group(3),
                m.group(4),
                m.group(5),
                m.group(6).equals("yes"),
                m.group(7),
                m.group(8)));
    }

    /** Every DANE line among {@code lines}. */
    public static List<DaneLine> all(List<String> lines) {
        return lines.stream().map(DaneLine::parse).flatMap(Optional::stream).toList();
    }
}
