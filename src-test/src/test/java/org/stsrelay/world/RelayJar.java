package org.stsrelay.world;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The built relay, {@code relay/target/sts-relay.jar}, and the {@code java} that runs it: the same
 * binary as the test JVM, so the relay is tested on the Java the build uses. A server runs with the
 * shipped JVM flags, {@code config/jvm.options}, as every launcher passes them.
 */
public record RelayJar(Path java, Path jar, Path classArchiveDirectory, Path serverJvmOptions) {

    /**
     * Short-lived subcommands (queue list/show) are run hundreds of times per suite; a JVM that
     * stops at the C1 compiler, uses the serial collector and maps a class-data archive starts
     * and ends markedly faster. Silencing unified logging keeps JVM warnings (such as a rejected
     * archive) out of the stdout that tests compare byte for byte.
     */
    private static final List<String> CLI_JVM_OPTIONS =
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xlog:disable");

    public RelayJar {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("relay jar " + jar + " does not exist: build it first with"
                    + " `mvn -B -q package -DskipTests` in the repository root");
        }
    }

    /**
     * The jar named by the system property {@code relay.jar} (set by src-test/pom.xml); the
     * class-data archive goes to src-test/target/cds, so {@code mvn clean} removes it.
     */
    public static RelayJar located() {
        String property = System.getProperty("relay.jar");
        Path jar = property != null ? Path.of(property) : Path.of("..", "relay", "target", "sts-relay.jar");
        Path repo = Path.of(System.getProperty("relay.repo", ".."));
        Path java = ProcessHandle.current()
                .info()
                .command()
                .map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java"));
        return new RelayJar(
                java,
                jar.toAbsolutePath().normalize(),
                repo.resolve("src-test/target/cds").toAbsolutePath().normalize(),
                repo.resolve("config/jvm.options").toAbsolutePath().normalize());
    }

    /** The command line that runs a subcommand as a long-lived server process. */
    public List<String> serverCommand(String... args) {
        List<String> command =
                new ArrayList<>(List.of(java.toString(), "@" + serverJvmOptions, "-jar", jar.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Runs a subcommand to completion; stdout and stderr go through files in {@code scratch} so a
     * large output (a 5 MiB message) never blocks on a pipe.
     */
    public CliResult run(Path scratch, Duration timeout, String... args) {
        ClassDataArchive archive = ClassDataArchive.forJar(jar, classArchiveDirectory);
        ClassDataArchive.Run sharing = archive.newRun();
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(CLI_JVM_OPTIONS);
        command.addAll(sharing.jvmOptions());
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(scratch, "cli-", ".out");
            Path err = Files.createTempFile(scratch, "cli-", ".err");
            try {
                Process process = new ProcessBuilder(command)
                        .redirectInput(ProcessBuilder.Redirect.from(
                                Path.of("/dev/null").toFile()))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError("`" + String.join(" ", args) + "` did not finish within " + timeout);
                }
                return new CliResult(
                        process.exitValue(),
                        Files.readAllBytes(out),
                        new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
                archive.finish(sharing);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }
}
