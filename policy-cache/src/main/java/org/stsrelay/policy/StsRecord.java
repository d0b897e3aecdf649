package org.stsrelay.policy;

import java.util.Map;

/**
 * A valid {@code _mta-sts} TXT record (RFC 8461 §3.1).
 *
 * @param id the policy id, 1 to 32 ASCII letters and digits
 * @param extensions the other fields, first occurrence of each name
 * @param text the record as published, strings concatenated
 */
public record StsRecord(String id, Map<String, String> extensions, String text) {

    /** Checks that the id follows the grammar. */
    public StsRecord {
        extensions = Map.copyOf(extensions);
        if (!StsRecordParser.isId(id)) {
            throw new IllegalArgumentException("invalid id: " + id);
        }
    }
}
