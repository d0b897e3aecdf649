package org.stsrelay.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code cluster status} read from the fleet database in one transaction.
 *
 * @param checkedAt     the database's clock when it was read: every age is measured against it, so a CLI host
 *                      with a skewed clock does not call running nodes silent
 * @param schemaVersion the last schema migration applied
 * @param nodes         every node with a heartbeat row, by name
 * @param policies      the shared policy store's counts
 */
record ClusterSnapshot(Instant checkedAt, int schemaVersion, List<Node> nodes, Policies policies) {

    /** Checks for nulls and copies the list. */
    ClusterSnapshot {
        Objects.requireNonNull(checkedAt, "checkedAt");
        Objects.requireNonNull(policies, "policies");
        nodes = List.copyOf(nodes);
    }

    /** How many nodes have missed {@code silentAfter} worth of heartbeats. */
    long silentNodes(Duration silentAfter) {
        return nodes.stream().filter(n -> n.silent(checkedAt, silentAfter)).count();
    }

    /**
     * One node's row and today's shipments.
     *
     * @param lastShipment   when it last shipped TLS results; empty before its first shipment
     * @param shippedThrough every result it recorded before this time is in the database
     * @param unshipped      results in its local journal not yet shipped, as of its last shipment
     * @param resultsToday   results it shipped for today's UTC day
     * @param batchesToday   batches those results came in
     */
    record Node(
            String name,
            String version,
            Instant startedAt,
            Instant lastSeen,
            Optional<Instant> lastShipment,
            Optional<Instant> shippedThrough,
            long unshipped,
            long resultsToday,
            long batchesToday) {

        /** Checks for nulls. */
        Node {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(startedAt, "startedAt");
            Objects.requireNonNull(lastSeen, "lastSeen");
            Objects.requireNonNull(lastShipment, "lastShipment");
            Objects.requireNonNull(shippedThrough, "shippedThrough");
        }

        /** True when the node has not beaten for {@code silentAfter}: stopped, partitioned, or its clock is off. */
        boolean silent(Instant now, Duration silentAfter) {
            return lastSeen.plus(silentAfter).isBefore(now);
        }
    }

    /**
     * The shared policy store.
     *
     * @param stored  policy rows, one per domain
     * @param enforce those whose policy says {@code mode: enforce}
     * @param expired those past their {@code max_age}, kept until a node refreshes or drops them
     */
    record Policies(long stored, long enforce, long expired) {}
}
