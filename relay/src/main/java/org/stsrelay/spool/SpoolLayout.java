package org.stsrelay.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Where each part of the spool lives under its directory, and how segment files are named. */
final class SpoolLayout {

    private static final String SEGMENT_SUFFIX = ".seg";
    private static final int SEGMENT_DIGITS = 20;

    private final Path root;

    SpoolLayout(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    Path lockFile() {
        return root.resolve("LOCK");
    }

    Path logDirectory() {
        return root.resolve("log");
    }

    Path incomingDirectory() {
        return root.resolve("incoming");
    }

    Path controlDirectory() {
        return root.resolve("control");
    }

    Path segment(long number) {
        return logDirectory().resolve(segmentName(number));
    }

    static String segmentName(long number) {
        String digits = Long.toString(number);
        return "0".repeat(SEGMENT_DIGITS - digits.length()) + digits + SEGMENT_SUFFIX;
    }

    /** The number of a segment file name, or -1 when the name is not one. */
    static long segmentNumber(String fileName) {
        if (fileName.length() != SEGMENT_DIGITS + SEGMENT_SUFFIX.length() || !fileName.endsWith(SEGMENT_SUFFIX)) {
            return -1;
        }
        // A loop rather than a stream: the spool's index asks this for every PROGRESS record it reads.
        for (int i = 0; i < SEGMENT_DIGITS; i++) {
            char c = fileName.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return Long.parseLong(fileName, 0, SEGMENT_DIGITS, 10);
    }

    /** The segment numbers present, oldest first; empty when the log directory does not exist yet. */
    List<Long> segmentNumbers() throws IOException {
        List<Long> numbers = new ArrayList<>();
        if (!Files.isDirectory(logDirectory())) {
            return numbers;
        }
        try (Stream<Path> files = Files.list(logDirectory())) {
            files.map(file -> segmentNumber(file.getFileName().toString()))
                    .filter(number -> number >= 0)
                    .forEach(numbers::add);
        }
        numbers.sort(Long::compare);
        return numbers;
    }
}
