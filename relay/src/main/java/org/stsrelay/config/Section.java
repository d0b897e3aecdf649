package org.stsrelay.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One mapping of the YAML tree, read key by key. Every read records the key as known and every bad
 * value as a problem with its full key path, so one pass reports every mistake in the file.
 */
final class Section {

    private final JsonNode node;
    private final String path;
    private final List<String> problems;
    private final Set<String> known = new LinkedHashSet<>();

    Section(JsonNode node, String path, List<String> problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
        if (!node.isMissingNode() && !node.isNull() && !node.isObject()) {
            problem(path.isEmpty() ? "(top level)" : path, "must be a mapping of keys to values");
        }
    }

    Section section(String key) {
        JsonNode child = value(key);
        return new Section(child.isNull() ? MissingNode.getInstance() : child, keyPath(key), problems);
    }

    String string(String key, String defaultValue) {
        JsonNode v = value(key);
        if (v.isMissingNode() || v.isNull()) {
            return defaultValue;
        }
        if (!v.isValueNode() || v.isBoolean()) {
            problem(keyPath(key), "must be a string");
            return defaultValue;
        }
        return v.asText();
    }

    /**
     * A string whose allowed values include {@code off}: YAML 1.1 reads an unquoted {@code off} (like {@code no}
     * and {@code false}) as the boolean false, and for a switch every one of them means off.
     */
    String switchValue(String key, String defaultValue) {
        JsonNode v = value(key);
        return v.isBoolean() && !v.booleanValue() ? "off" : string(key, defaultValue);
    }

    int integer(String key, int defaultValue, int min, int max) {
        JsonNode v = value(key);
        if (v.isMissingNode() || v.isNull()) {
            return defaultValue;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
            problem(keyPath(key), quote(v) + " is not a whole number from " + min + " to " + max);
            return defaultValue;
        }
        return v.asInt();
    }

    boolean bool(String key, boolean defaultValue) {
        JsonNode v = value(key);
        if (v.isMissingNode() || v.isNull()) {
            return defaultValue;
        }
        if (!v.isBoolean()) {
            problem(keyPath(key), quote(v) + " is not true or false");
            return defaultValue;
        }
        return v.asBoolean();
    }

    long size(String key, String defaultValue, long min, long max) {
        String text = scalar(key, defaultValue);
        long size = Units.parseSize(text);
        if (size < 0) {
            problem(keyPath(key), "\"" + text + "\" is not a size (e.g. 50MB)");
            return Units.parseSize(defaultValue);
        }
        if (size < min || size > max) {
            problem(keyPath(key), "\"" + text + "\" is outside " + min + " to " + max + " octets");
            return Units.parseSize(defaultValue);
        }
        return size;
    }

    Duration duration(String key, String defaultValue, Duration min, Duration max) {
        String text = scalar(key, defaultValue);
        Duration d = Units.parseDuration(text);
        if (d == null) {
            problem(keyPath(key), "\"" + text + "\" is not a duration (e.g. 30s, 5m, 1h)");
            return Units.parseDuration(defaultValue);
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            problem(keyPath(key), "\"" + text + "\" is outside " + Units.format(min) + " to " + Units.format(max));
            return Units.parseDuration(defaultValue);
        }
        return d;
    }

    /** An optional file path: empty string or absent means none. */
    Path path(String key) {
        String text = string(key, "");
        if (text.isBlank()) {
            return null;
        }
        try {
            return Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            problem(keyPath(key), "\"" + text + "\" is not a file path");
            return null;
        }
    }

    /** A list of strings each converted by {@code parser}, which throws IllegalArgumentException with a reason. */
    <T> List<T> list(String key, List<String> defaultValue, Function<String, T> parser) {
        JsonNode v = value(key);
        List<String> texts = new ArrayList<>();
        if (v.isMissingNode() || v.isNull()) {
            texts.addAll(defaultValue);
        } else if (v.isArray()) {
            for (JsonNode item : v) {
                if (!item.isValueNode() || item.isNull()) {
                    problem(keyPath(key), "every entry must be a string");
                    return List.of();
                }
                texts.add(item.asText());
            }
        } else {
            problem(keyPath(key), "must be a list, e.g. [\"a\", \"b\"]");
            return List.of();
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            try {
                out.add(parser.apply(texts.get(i)));
            } catch (IllegalArgumentException e) {
                problem(keyPath(key) + "[" + i + "]", "\"" + texts.get(i) + "\" " + e.getMessage());
            }
        }
        return out;
    }

    /** The keys of this mapping, for sections whose keys are names (e.g. per-domain overrides); all count as known. */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(keys::add);
        }
        known.addAll(keys);
        return keys;
    }

    /** Records every key of this mapping that no read asked for, with a suggestion when one is close. */
    void rejectUnknownKeys() {
        if (!node.isObject()) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                String hint = closest(key);
                problem(keyPath(key), "unknown key" + (hint == null ? "" : " (did you mean \"" + hint + "\"?)"));
            }
        }
    }

    /** How many problems the whole file has so far (to tell an empty list from a broken one). */
    int problemCount() {
        return problems.size();
    }

    void problem(String keyPath, String what) {
        problems.add(keyPath + ": " + what);
    }

    String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private String scalar(String key, String defaultValue) {
        JsonNode v = value(key);
        if (v.isMissingNode() || v.isNull()) {
            return defaultValue;
        }
        return v.isValueNode() ? v.asText() : "(a " + v.getNodeType().name().toLowerCase() + ")";
    }

    private JsonNode value(String key) {
        known.add(key);
        return node.isObject() ? node.path(key) : MissingNode.getInstance();
    }

    private String closest(String key) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : known) {
            int d = distance(key, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String quote(JsonNode v) {
        return v.isTextual() ? "\"" + v.asText() + "\"" : v.toString();
    }
}
