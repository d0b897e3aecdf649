package org.stsrelay.config;

import java.nio.file.Path;

/**
 * The {@code spool} section.
 *
 * @param directory      where the spool lives (created if missing)
 * @param segmentSize    a log segment is closed and a new one started past this size, in octets
 * @param memoryBuffer   a message being received stays in memory up to this size, then spills to disk
 * @param memoryBudget   octets all messages being received may keep in memory together; past it they spill
 */
public record SpoolConfig(Path directory, long segmentSize, int memoryBuffer, long memoryBudget) {

    /** The default memory budget: 64 MiB. */
    public static final long DEFAULT_MEMORY_BUDGET = 64L << 20;

    /** A spool with the default memory budget. */
    public SpoolConfig(Path directory, long segmentSize, int memoryBuffer) {
        this(directory, segmentSize, memoryBuffer, DEFAULT_MEMORY_BUDGET);
    }
}
