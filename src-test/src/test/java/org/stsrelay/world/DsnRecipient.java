package org.stsrelay.world;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One per-recipient block of an RFC 3464 {@code message/delivery-status} part, read from a DSN
 * that an MX of the world received.
 *
 * @param finalRecipient the address after {@code rfc822;}
 * @param action failed, delayed, delivered, relayed or expanded
 * @param status the enhanced status code, e.g. 5.7.5
 * @param diagnostic the Diagnostic-Code text, empty when absent
 */
public record DsnRecipient(String finalRecipient, String action, String status, String diagnostic) {

    private static final Pattern FIELD = Pattern.compile("^([A-Za-z-]+):\\s*(.*)$");

    /** The per-recipient blocks of {@code message}, or an empty list when it is not a delivery-status report. */
    public static List<DsnRecipient> parse(ReceivedMessage message) {
        String text = message.text();
        String lower = text.toLowerCase(Locale.ROOT);
        if (!lower.contains("multipart/report") || !lower.contains("message/delivery-status")) {
            return List.of();
        }
        List<DsnRecipient> recipients = new ArrayList<>();
        for (String block : text.replace("\r\n", "\n").split("\n\\s*\n")) {
            Map<String, String> fields = fields(block);
            String finalRecipient = fields.get("final-recipient");
            if (finalRecipient != null && fields.containsKey("status")) {
                recipients.add(new DsnRecipient(
                        finalRecipient.replaceFirst("(?i)^rfc822;\\s*", "").trim(),
                        fields.getOrDefault("action", "").trim(),
                        fields.get("status").trim(),
                        fields.getOrDefault("diagnostic-code", "")));
            }
        }
        return recipients;
    }

    /** The block for {@code recipient} in {@code message}, if it reports on that recipient. */
    public static Optional<DsnRecipient> find(ReceivedMessage message, String recipient) {
        return parse(message).stream()
                .filter(r -> r.finalRecipient().equalsIgnoreCase(recipient))
                .findFirst();
    }

    private static Map<String, String> fields(String block) {
        Map<String, String> fields = new LinkedHashMap<>();
        String current = null;
        for (String line : block.split("\n")) {
            Matcher field = FIELD.matcher(line);
            if (!line.isEmpty() && Character.isWhitespace(line.charAt(0)) && current != null) {
                // RFC 5322 §2.2.3 folding: a continuation line belongs to the field above
                fields.merge(current, " " + line.trim(), String::concat);
            } else if (field.matches()) {
                current = field.group(1).toLowerCase(Locale.ROOT);
                fields.put(current, field.group(2));
            }
        }
        return fields;
    }
}
