package org.stsrelay.delivery;

import io.netty.handler.codec.smtp.SmtpResponse;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.stsrelay.delivery.RecipientResult.Outcome;

/** Builds recipient results from remote replies and from the relay's own decisions. */
final class RecipientResults {

    // RFC 3463 §2: class.subject.detail at the start of the reply text (RFC 2034 §3).
    private static final Pattern ENHANCED = Pattern.compile("^[245]\\.\\d{1,3}\\.\\d{1,3}\\b.*");

    private RecipientResults() {}

    /** The result of a remote reply to one recipient: 2xx delivered, 4xx deferred, 5xx failed. */
    static RecipientResult remote(int index, SmtpResponse reply, String mx) {
        Outcome outcome = reply.code() / 100 == 2
                ? Outcome.DELIVERED
                : reply.code() / 100 == 5 ? Outcome.FAILED : Outcome.DEFERRED;
        String text = String.join(" ", reply.details());
        String status = reply.code() / 100 + ".0.0";
        if (ENHANCED.matcher(text).matches()) {
            int space = text.indexOf(' ');
            status = space < 0 ? text : text.substring(0, space);
            text = space < 0 ? "" : text.substring(space + 1);
        }
        return new RecipientResult(index, outcome, reply.code(), status, text, Optional.of(mx), true);
    }

    /** One result of ours for every recipient. */
    static List<RecipientResult> all(
            List<Integer> indexes, Outcome outcome, int code, String status, String text, Optional<String> mx) {
        return indexes.stream()
                .map(i -> new RecipientResult(i, outcome, code, status, text, mx, false))
                .toList();
    }

    /** Recipients whose transaction broke off: a temporary failure, tried again later (RFC 5321 §4.5.4.1). */
    static List<RecipientResult> lost(List<Integer> indexes, String mx, String reason) {
        return all(
                indexes, Outcome.DEFERRED, 451, "4.4.2", "connection to " + mx + " lost: " + reason, Optional.of(mx));
    }
}
