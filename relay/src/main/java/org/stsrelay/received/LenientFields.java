package org.stsrelay.received;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the fields of one report the way real senders write them, noting each quirk it tolerates: a number sent
 * as a string, a single string where RFC 8460 §4.4 has an array, a missing optional field, an unknown field.
 */
final class LenientFields {

    /** More notes than this say nothing new; the rest are counted in one line. */
    static final int MAX_NOTES = 50;

    private final List<String> notes = new ArrayList<>();
    private int dropped;

    /** The notes so far, bounded. */
    List<String> notes() {
        List<String> all = new ArrayList<>(notes);
        if (dropped > 0) {
            all.add(dropped + " more note(s) left out");
        }
        return all;
    }

    void note(String note) {
        if (notes.size() < MAX_NOTES) {
            notes.add(note);
        } else {
            dropped++;
        }
    }

    /** The object at {@code name}; a missing or non-object member has no meaning. */
    JsonNode object(JsonNode parent, String name, String path) throws MalformedReport {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            throw new MalformedReport(path + name + " is missing (RFC 8460 §4.4)");
        }
        if (!node.isObject()) {
            throw new MalformedReport(path + name + " is not an object");
        }
        return node;
    }

    /** A required text member; a number is taken as its text, with a note. */
    String text(JsonNode parent, String name, String path) throws MalformedReport {
        return optionalText(parent, name, path)
                .filter(s -> !s.isBlank())
                .orElseThrow(() -> new MalformedReport(path + name + " is missing (RFC 8460 §4.4)"));
    }

    /** An optional text member. */
    Optional<String> optionalText(JsonNode parent, String name, String path) throws MalformedReport {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (node.isNumber() || node.isBoolean()) {
            note(path + name + " is a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                    + ", not a string");
            return Optional.of(node.asText());
        }
        if (!node.isTextual()) {
            throw new MalformedReport(path + name + " is not a string");
        }
        return Optional.of(node.textValue());
    }

    /** A required non-negative count; a numeric string is taken, with a note. */
    long count(JsonNode parent, String name, String path) throws MalformedReport {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            throw new MalformedReport(path + name + " is missing (RFC 8460 §4.4)");
        }
        long value;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            value = node.longValue();
        } else if (node.isTextual() && node.textValue().strip().matches("-?\\d{1,18}")) {
            note(path + name + " is a string, not a number");
            value = Long.parseLong(node.textValue().strip());
        } else {
            throw new MalformedReport(path + name + " is not a whole number");
        }
        if (value < 0) {
            throw new MalformedReport(path + name + " is negative");
        }
        return value;
    }

    /** An optional array of strings; a single string is taken as a one-element array, with a note. */
    List<String> strings(JsonNode parent, String name, String path) throws MalformedReport {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            note(path + name + " is missing");
            return List.of();
        }
        if (node.isTextual()) {
            note(path + name + " is a string, not an array (RFC 8460 §4.4)");
            return List.of(node.textValue());
        }
        if (!node.isArray()) {
            throw new MalformedReport(path + name + " is neither an array nor a string");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isValueNode() || element.isNull()) {
                throw new MalformedReport(path + name + " holds something other than strings");
            }
            values.add(element.asText());
        }
        return values;
    }

    /** An optional array of objects; missing is empty, with a note. */
    List<JsonNode> objects(JsonNode parent, String name, String path) throws MalformedReport {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            note(path + name + " is missing");
            return List.of();
        }
        if (node.isObject()) {
            note(path + name + " is an object, not an array");
            return List.of(node);
        }
        if (!node.isArray()) {
            throw new MalformedReport(path + name + " is not an array");
        }
        List<JsonNode> values = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isObject()) {
                throw new MalformedReport(path + name + " holds something other than objects");
            }
            values.add(element);
        }
        return values;
    }

    /**
     * A required RFC 3339 date-time (RFC 8460 §4.4); fractional seconds and numeric offsets are RFC 3339 and
     * taken silently, a time without an offset is taken as UTC with a note.
     */
    Instant dateTime(JsonNode parent, String name, String path) throws MalformedReport {
        String text = text(parent, name, path).strip();
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            try {
                Instant instant = LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                        .toInstant(ZoneOffset.UTC);
                note(path + name + " has no time zone; taken as UTC");
                return instant;
            } catch (DateTimeParseException again) {
                throw new MalformedReport(path + name + " \"" + shorten(text) + "\" is not an RFC 3339 date-time");
            }
        }
    }

    /** Notes each member of {@code node} that RFC 8460 §4.4 does not define there. */
    void unknownFields(JsonNode node, Set<String> known, String path) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                note(path + "\"" + shorten(name) + "\" is not an RFC 8460 field; ignored");
            }
        }
    }

    static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }
}
