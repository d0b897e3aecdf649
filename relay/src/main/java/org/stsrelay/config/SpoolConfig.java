package org.stsrelay.config;

import java.nio.file.Path;

/**
 * The {@code spool} section.
 *
 * @param directory      where the spool lives (created if missing)
 * @param segmentSize    a log segment is closed and a new one started past this size, in octets
 * @param memoryBuffer   a message being received stays in memory up to this size, then spills to disk
 */
public record SpoolConfig(Path directory, long segmentSize, int memoryBuffer) {
}
