package org.stsrelay.fleet;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * An operator's action on one domain's policy, which every node of the fleet applies to its memory and local store.
 *
 * @param seq the event's place in the fleet's order
 * @param domain the normalised policy domain
 * @param kind what the operator did
 * @param node the node that applied it first
 * @param at when that node applied it, by its clock
 */
record PolicyEvent(long seq, String domain, Kind kind, String node, Instant at) {

    /** What the operator did: the {@code kind} column's values. */
    enum Kind {
        /** {@code policy purge}: the policy is removed (RFC 8461 §10.3). */
        PURGE,
        /** {@code policy refresh}: the policy was fetched anew; the row holds it. */
        REFRESH;

        String column() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind of(String column) {
            return valueOf(column.toUpperCase(Locale.ROOT));
        }
    }

    PolicyEvent {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(at, "at");
    }
}
