package org.stsrelay.queue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough MIME parsing to read a DSN back in tests: header fields, and the parts of a multipart body. */
record Mime(Map<String, String> headers, String body) {

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"([^\"]+)\"");

    static Mime parse(String message) {
        int end = message.indexOf("\r\n\r\n");
        String head = end < 0 ? message : message.substring(0, end);
        String body = end < 0 ? "" : message.substring(end + 4);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String field : head.replace("\r\n\t", " ").replace("\r\n ", " ").split("\r\n")) {
            int colon = field.indexOf(':');
            if (colon > 0) {
                headers.put(
                        field.substring(0, colon).toLowerCase(Locale.ROOT),
                        field.substring(colon + 1).trim());
            }
        }
        return new Mime(headers, body);
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    List<Mime> parts() {
        Matcher matcher = BOUNDARY.matcher(header("Content-Type"));
        if (!matcher.find()) {
            throw new AssertionError("no boundary in " + header("Content-Type"));
        }
        String delimiter = "\r\n--" + matcher.group(1);
        String[] pieces = ("\r\n" + body).split(Pattern.quote(delimiter));
        List<Mime> parts = new ArrayList<>();
        for (int i = 1; i < pieces.length; i++) {
            if (pieces[i].startsWith("--")) {
                break;
            }
            parts.add(parse(pieces[i].substring(2)));
        }
        return parts;
    }

    /** The field groups of a message/delivery-status body: per-message fields first, then each recipient's. */
    List<Map<String, String>> statusGroups() {
        List<Map<String, String>> groups = new ArrayList<>();
        for (String group : body.strip().split("\r\n\r\n")) {
            groups.add(parse(group + "\r\n\r\n").headers());
        }
        return groups;
    }
}
