package org.stsrelay.received;

import java.util.List;

/** Fetches the DKIM key records of a signing domain (RFC 6376 §3.6.2.1: TXT at {@code selector._domainkey.domain}). */
public interface DkimKeys {

    /** What a key lookup found. */
    sealed interface Lookup {
        /** The TXT records found, each one key record. */
        record Found(List<String> records) implements Lookup {
            public Found {
                records = List.copyOf(records);
            }
        }

        /** No key could be had: the name has no record, or the lookup failed. */
        record Unavailable(String reason) implements Lookup {}
    }

    /** Looks up the key records of {@code selector} at {@code domain}. */
    Lookup lookup(String selector, String domain);
}
