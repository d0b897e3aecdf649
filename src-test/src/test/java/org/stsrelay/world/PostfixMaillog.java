package org.stsrelay.world;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Postfix maillog says about each message: its Message-ID (logged by cleanup) and the
 * outcome per recipient (logged by smtp), joined by Postfix's own queue id.
 */
public final class PostfixMaillog {

    private static final Pattern MESSAGE_ID =
            Pattern.compile("postfix/cleanup\\[\\d+\\]: ([0-9A-F]+): message-id=<([^>]*)>");
    private static final Pattern OUTCOME =
            Pattern.compile("postfix/smtp\\[\\d+\\]: ([0-9A-F]+): to=<([^>]*)>, .*status=(\\w+) \\((.*)\\)$");
    private static final Pattern RELAY_QUEUED = Pattern.compile("^250 2\\.0\\.0 Ok: queued as ([0-9A-Z]{16})$");

    /**
     * One delivery attempt of one recipient.
     *
     * @param recipient the envelope recipient
     * @param status sent, deferred, bounced, ...
     * @param detail Postfix's parenthesised explanation: the server's reply for status=sent
     */
    public record Outcome(String recipient, String status, String detail) {

        /** The id the relay named in its "queued as" reply, or null when the reply has none. */
        public String relayQueueId() {
            Matcher matcher = RELAY_QUEUED.matcher(detail);
            return matcher.matches() ? matcher.group(1) : null;
        }
    }

    private final Map<String, List<Outcome>> outcomesByMessageId;

    private PostfixMaillog(Map<String, List<Outcome>> outcomesByMessageId) {
        this.outcomesByMessageId = outcomesByMessageId;
    }

    /** Parses the whole log text. */
    public static PostfixMaillog parse(String maillog) {
        Map<String, String> messageIdByQueueId = new HashMap<>();
        Map<String, List<Outcome>> outcomesByQueueId = new HashMap<>();
        for (String line : maillog.split("\n")) {
            Matcher id = MESSAGE_ID.matcher(line);
            if (id.find()) {
                messageIdByQueueId.put(id.group(1), id.group(2));
            }
            Matcher outcome = OUTCOME.matcher(line);
            if (outcome.find()) {
                outcomesByQueueId
                        .computeIfAbsent(outcome.group(1), qid -> new ArrayList<>())
                        .add(new Outcome(outcome.group(2), outcome.group(3), outcome.group(4)));
            }
        }
        Map<String, List<Outcome>> byMessageId = new HashMap<>();
        messageIdByQueueId.forEach(
                (queueId, messageId) -> byMessageId.put(messageId, outcomesByQueueId.getOrDefault(queueId, List.of())));
        return new PostfixMaillog(byMessageId);
    }

    /** Every attempt logged for the message with this Message-ID (without angle brackets). */
    public List<Outcome> outcomes(String messageId) {
        return outcomesByMessageId.getOrDefault(messageId, List.of());
    }

    /** The attempts, of any message, that ended other than status=sent or status=deferred. */
    public List<Outcome> failures() {
        return outcomesByMessageId.values().stream()
                .flatMap(List::stream)
                .filter(outcome ->
                        !outcome.status().equals("sent") && !outcome.status().equals("deferred"))
                .toList();
    }
}
