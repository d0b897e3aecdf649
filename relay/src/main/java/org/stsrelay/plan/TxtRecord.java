package org.stsrelay.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * A TXT record to publish.
 *
 * @param name the owner name, without the trailing dot
 * @param value the record's text, all strings concatenated
 */
public record TxtRecord(String name, String value) {

    // RFC 1035 §3.3.14: one character-string holds at most 255 octets; longer text goes in several strings,
    // which RFC 8461 §3.1 and RFC 8460 §3 concatenate without spaces.
    private static final int MAX_STRING = 255;

    /** The record as a zone file line: {@code name. IN TXT "..."}, in several strings when it is long. */
    public String zoneLine() {
        List<String> strings = new ArrayList<>();
        for (int start = 0; start < value.length(); start += MAX_STRING) {
            strings.add("\"" + value.substring(start, Math.min(value.length(), start + MAX_STRING)) + "\"");
        }
        return name + ". IN TXT " + String.join(" ", strings);
    }
}
