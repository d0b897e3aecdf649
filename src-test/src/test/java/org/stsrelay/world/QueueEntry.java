package org.stsrelay.world;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One spooled message as {@code queue list --json} reports it. The constructor checks the
 * contract's shape, so a malformed listing fails where it is parsed.
 *
 * @param id 16 characters of [0-9A-Z]
 * @param sender the envelope sender (empty for the null sender)
 * @param recipients the envelope recipients
 * @param size the content octets, the relay's Received: header included
 * @param arrival when the relay accepted it, ISO-8601
 * @param states each recipient's delivery state; empty from a relay without a delivery stage
 */
public record QueueEntry(
        String id, String sender, List<String> recipients, long size, String arrival, List<RecipientState> states) {

    private static final Pattern ID = Pattern.compile("[0-9A-Z]{16}");

    public QueueEntry {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("queue list: id is not 16 characters of [0-9A-Z]: " + id);
        }
        if (sender == null || recipients == null || recipients.isEmpty() || arrival == null || size <= 0) {
            throw new IllegalArgumentException(
                    "queue list: entry " + id + " lacks sender, recipients," + " size or arrival");
        }
        recipients = List.copyOf(recipients);
        states = states == null ? List.of() : List.copyOf(states);
    }
}
