package org.stsrelay.spool;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns operators' delete requests (tombstones) into DONE records, then removes the tombstones. */
final class TombstoneSweeper {

    private static final Logger log = LoggerFactory.getLogger(TombstoneSweeper.class);
    /**
     * A tombstone for an id the spool does not hold is kept this long: the tool may have read a record
     * whose batch is not yet durable (and so not yet in the index) when it wrote the tombstone.
     */
    static final Duration UNKNOWN_GRACE = Duration.ofMinutes(1);
    private static final Duration ABANDONED_TEMPORARY = Duration.ofHours(1);
    private static final long DONE_TIMEOUT_SECONDS = 30;

    private final Tombstones tombstones;
    private final LogIndex index;
    private final Function<QueueId, CompletableFuture<Void>> markDone;
    private final Clock clock;

    TombstoneSweeper(Tombstones tombstones, LogIndex index, Function<QueueId, CompletableFuture<Void>> markDone,
                     Clock clock) {
        this.tombstones = tombstones;
        this.index = index;
        this.markDone = markDone;
        this.clock = clock;
    }

    /** Applies the tombstones found at start-up; one for an unknown id is stale: the log was just read whole. */
    void sweepAtStart() {
        sweep(true);
    }

    /** Applies the tombstones that appeared while running. */
    void sweep() {
        sweep(false);
    }

    /** Applies every pending tombstone and waits until its DONE is durable. */
    private void sweep(boolean atStart) {
        try {
            List<CompletableFuture<Void>> pending = new ArrayList<>();
            for (Tombstones.Tombstone tombstone : tombstones.list()) {
                if (index.holds(tombstone.id())) {
                    log.info("deleting message {} from the spool as an operator requested", tombstone.id());
                    pending.add(markDone.apply(tombstone.id()).thenRun(() -> remove(tombstone)));
                } else if (atStart || tombstone.modified().plus(UNKNOWN_GRACE).isBefore(clock.instant())) {
                    remove(tombstone);
                }
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .get(DONE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            tombstones.removeAbandoned(clock.instant().minus(ABANDONED_TEMPORARY));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("applying spool delete requests failed, retrying later: {}", e.toString());
        }
    }

    private void remove(Tombstones.Tombstone tombstone) {
        try {
            tombstones.remove(tombstone);
        } catch (IOException e) {
            log.warn("could not remove delete request {}: {}", tombstone.file(), e.toString());
        }
    }
}
