package org.stsrelay.policy;

import java.util.List;
import java.util.Map;

/**
 * A valid {@code _mta-sts} TXT record (RFC 8461 §3.1).
 *
 * @param id the policy id, 1 to 32 ASCII letters and digits
 * @param extensions the other fields, first occurrence of each name
 * @param notes what the parser tolerated (a repeated field, whitespace before {@code ;}), for {@code check}
 * @param text the record as published, strings concatenated
 */
public record StsRecord(String id, Map<String, String> extensions, List<ParseNote> notes, String text) {

    /** Checks that the id follows the grammar. */
    public StsRecord {
        extensions = Map.copyOf(extensions);
        notes = List.copyOf(notes);
        if (!StsRecordParser.isId(id)) {
            throw new IllegalArgumentException("invalid id: " + id);
        }
    }
}
