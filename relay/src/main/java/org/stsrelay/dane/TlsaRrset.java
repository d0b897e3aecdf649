package org.stsrelay.dane;

import java.util.List;

/**
 * What a secure TLSA RRset asks of the SMTP client (RFC 7672 §2.2, §3.1.3): nothing, authentication by its
 * usable records, or TLS without authentication when it has records but none usable.
 */
public sealed interface TlsaRrset permits TlsaRrset.NoRecords, TlsaRrset.Usable, TlsaRrset.NoneUsable {

    /** Classifies the records of one secure TLSA RRset. */
    static TlsaRrset classify(List<TlsaRecord> records) {
        if (records.isEmpty()) {
            return new NoRecords();
        }
        List<TlsaRecord> usable =
                records.stream().filter(r -> r.unusable().isEmpty()).toList();
        return usable.isEmpty() ? new NoneUsable(records) : new Usable(usable, records);
    }

    /** The RRset is empty: DANE does not apply to this host. */
    record NoRecords() implements TlsaRrset {}

    /** RFC 7672 §3.2: at least one usable record, so the server must authenticate against {@code usable}. */
    record Usable(List<TlsaRecord> usable, List<TlsaRecord> all) implements TlsaRrset {

        /** Copies both lists. */
        public Usable {
            usable = List.copyOf(usable);
            all = List.copyOf(all);
        }
    }

    /** RFC 7672 §2.2: records but none usable, so TLS is mandatory and the server is not authenticated. */
    record NoneUsable(List<TlsaRecord> all) implements TlsaRrset {

        /** Copies the list. */
        public NoneUsable {
            all = List.copyOf(all);
        }
    }
}
