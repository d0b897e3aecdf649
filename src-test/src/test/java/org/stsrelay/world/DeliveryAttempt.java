package org.stsrelay.world;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of the relay's log per delivery attempt, the contract's account of what happened:
 * {@code attempt id=… domain=… mx=… ip=… mode=… tls=… result=… outcome=… reply="…"}.
 *
 * @param id the queue id
 * @param domain the recipient domain
 * @param mx the MX host tried, "-" when none was
 * @param ip the address connected to, "-" when none was
 * @param mode the policy mode applied: enforce, testing, none or no-policy
 * @param tls the TLS version/cipher, "none" for plaintext
 * @param result "success" or the RFC 8460 result type
 * @param outcome delivered, deferred or failed
 * @param reply the SMTP reply that decided the outcome (code, enhanced status, text)
 */
public record DeliveryAttempt(
        String id,
        String domain,
        String mx,
        String ip,
        String mode,
        String tls,
        String result,
        String outcome,
        String reply) {

    private static final Pattern LINE = Pattern.compile("attempt id=(\\S+) domain=(\\S+) mx=(\\S+) ip=(\\S+)"
            + " mode=(\\S+) tls=(\\S+) result=(\\S+) outcome=(\\S+) reply=\"(.*)\"");

    /** The attempt a log line records, if it is an attempt line. */
    public static Optional<DeliveryAttempt> parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new DeliveryAttempt(
                m.group(1),
                m.group(2),
                m.group(3),
                m.group(4),
                m.group(5),
                m.group(6),
                m.group(7),
                m.group(8),
                m.group(9)));
    }

    /** Every attempt line among {@code lines}. */
    public static List<DeliveryAttempt> all(List<String> lines) {
        return lines.stream()
                .map(DeliveryAttempt::parse)
                .flatMap(Optional::stream)
                .toList();
    }

    /** Whether the session was encrypted. */
    public boolean overTls() {
        return !"none".equals(tls) && !"-".equals(tls);
    }
}
