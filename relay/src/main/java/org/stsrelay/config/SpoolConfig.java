package org.stsrelay.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code spool} section.
 *
 * @param directory      where the spool lives (created if missing)
 * @param segmentSize    a log segment is closed and a new one started past this size, in octets
 * @param memoryBuffer   a message being received stays in memory up to this size, then spills to disk
 * @param memoryBudget   octets all messages being received may keep in memory together; past it they spill
 * @param stateSyncDelay how long a DONE or PROGRESS record may wait for its fsync (zero: none waits)
 * @param contentCache   octets of just-accepted content kept in memory for the first delivery attempt
 * @param commitWindow   how long a batch with a message waits for more while messages arrive faster than this
 */
public record SpoolConfig(
        Path directory,
        long segmentSize,
        int memoryBuffer,
        long memoryBudget,
        Duration stateSyncDelay,
        long contentCache,
        Duration commitWindow) {

    /** The default memory budget: 64 MiB. */
    public static final long DEFAULT_MEMORY_BUDGET = 64L << 20;

    /** The default state sync delay: 1 s. */
    public static final Duration DEFAULT_STATE_SYNC_DELAY = Duration.ofSeconds(1);

    /** The default content cache: 32 MiB. */
    public static final long DEFAULT_CONTENT_CACHE = 32L << 20;

    /** The default commit window: 2 ms. */
    public static final Duration DEFAULT_COMMIT_WINDOW = Duration.ofMillis(2);

    /** A spool with the default memory budget and state sync delay. */
    public SpoolConfig(Path directory, long segmentSize, int memoryBuffer) {
        this(directory, segmentSize, memoryBuffer, DEFAULT_MEMORY_BUDGET);
    }

    /** A spool with the default state sync delay and content cache. */
    public SpoolConfig(Path directory, long segmentSize, int memoryBuffer, long memoryBudget) {
        this(directory, segmentSize, memoryBuffer, memoryBudget, DEFAULT_STATE_SYNC_DELAY);
    }

    /** A spool with the default content cache. */
    public SpoolConfig(Path directory, long segmentSize, int memoryBuffer, long memoryBudget, Duration stateSyncDelay) {
        this(directory, segmentSize, memoryBuffer, memoryBudget, stateSyncDelay, DEFAULT_CONTENT_CACHE);
    }

    /** A spool with the default commit window. */
    public SpoolConfig(
            Path directory,
            long segmentSize,
            int memoryBuffer,
            long memoryBudget,
            Duration stateSyncDelay,
            long contentCache) {
        this(directory, segmentSize, memoryBuffer, memoryBudget, stateSyncDelay, contentCache, DEFAULT_COMMIT_WINDOW);
    }
}
