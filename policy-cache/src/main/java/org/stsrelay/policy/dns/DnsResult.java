package org.stsrelay.policy.dns;

import java.util.List;

/**
 * The outcome of one DNS lookup; NXDOMAIN, NODATA and failures are told apart because RFC 8461 treats them
 * differently (a failure must never evict a cached policy, §10.2).
 *
 * @param <T> the record data type
 */
public sealed interface DnsResult<T> {

    /**
     * The name has records of the type asked for.
     *
     * @param values the records, in answer order
     * @param canonicalName the name the records belong to after following CNAMEs
     */
    record Records<T>(List<T> values, String canonicalName) implements DnsResult<T> {
        /** Copies the list. */
        public Records {
            values = List.copyOf(values);
        }
    }

    /** The name does not exist (NXDOMAIN), possibly at the end of a CNAME chain. */
    record NxDomain<T>(String name) implements DnsResult<T> {}

    /** The name exists but has no records of the type asked for (NODATA). */
    record NoData<T>(String name) implements DnsResult<T> {}

    /** The lookup failed: SERVFAIL, REFUSED, timeout, network error, CNAME loop. */
    record Failure<T>(String reason) implements DnsResult<T> {}

    /** Returns the records, or an empty list for every other outcome. */
    default List<T> valuesOrEmpty() {
        return this instanceof Records<T> records ? records.values() : List.of();
    }

    /** Describes the outcome in a few words, for logs and diagnoses. */
    default String describe() {
        if (this instanceof Records<T> records) {
            return records.values().size() + " record(s)";
        } else if (this instanceof NxDomain<T> nx) {
            return nx.name() + " does not exist (NXDOMAIN)";
        } else if (this instanceof NoData<T> noData) {
            return noData.name() + " has no records of that type (NODATA)";
        }
        return "DNS lookup failed: " + ((Failure<T>) this).reason();
    }
}
