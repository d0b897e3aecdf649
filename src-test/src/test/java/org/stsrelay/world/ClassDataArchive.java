package org.stsrelay.world;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;

/**
 * An application class-data archive (JDK CDS) for the relay jar, so that the hundreds of short
 * {@code queue show} runs of a suite skip most class loading and verification. The first run
 * dumps the archive; later runs map it. The archive is keyed by the jar's size and modification
 * time, and the JVM itself refuses an archive that does not match its jar, so a stale archive
 * costs speed, never correctness.
 */
final class ClassDataArchive {

    private final Path archive;

    private ClassDataArchive(Path archive) {
        this.archive = archive;
    }

    /** The archive for {@code jar} inside {@code directory}. */
    static ClassDataArchive forJar(Path jar, Path directory) {
        try {
            String key = Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis();
            Files.createDirectories(directory);
            return new ClassDataArchive(directory.resolve("sts-relay-" + key + ".jsa"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + jar, e);
        }
    }

    /** A run: the JVM options that map the archive, or, while there is none, dump one at exit. */
    Run newRun() {
        if (Files.isRegularFile(archive)) {
            return new Run(List.of("-XX:SharedArchiveFile=" + archive), null);
        }
        // each dumping run writes its own file, so concurrent first runs never share a half-written one
        Path dump = archive.resolveSibling("dump-" + UUID.randomUUID() + ".jsa");
        return new Run(List.of("-XX:ArchiveClassesAtExit=" + dump), dump);
    }

    /**
     * One JVM run's use of the archive.
     *
     * @param jvmOptions options to put before {@code -jar}
     * @param dump the file this run dumps to, or null when it maps the existing archive
     */
    record Run(List<String> jvmOptions, Path dump) {}

    private void removeArchivesOfOlderJars() throws IOException {
        try (var archives = Files.newDirectoryStream(archive.getParent(), "sts-relay-*.jsa")) {
            for (Path other : archives) {
                if (!other.equals(archive)) {
                    Files.deleteIfExists(other);
                }
            }
        }
    }

    /** After a run ended: publishes its dump as the archive, atomically, unless one exists already. */
    void finish(Run run) {
        if (run.dump() == null) {
            return;
        }
        try {
            if (Files.isRegularFile(run.dump()) && !Files.exists(archive)) {
                Files.move(run.dump(), archive, StandardCopyOption.ATOMIC_MOVE);
                removeArchivesOfOlderJars();
            }
            Files.deleteIfExists(run.dump());
        } catch (IOException lostRace) {
            // another run published first: this run's dump is simply not used
        }
    }
}
