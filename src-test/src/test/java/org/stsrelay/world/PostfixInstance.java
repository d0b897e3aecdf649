package org.stsrelay.world;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.opentest4j.AssertionFailedError;
import org.stsrelay.policy.testing.RequiredTools;

/**
 * A private Postfix instance (Debian's postfix 3.7 package) running from its own directory, set
 * up as /work/shared/notes/postfix-test-instance.md describes: own main.cf and master.cf, no
 * chroot, its own queue and log file. It never touches the system's /etc/postfix instance.
 */
public final class PostfixInstance implements AutoCloseable {

    private static final Path POSTFIX = Path.of("/usr/sbin/postfix");
    private static final Path SENDMAIL = Path.of("/usr/sbin/sendmail");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Services the instance needs (src-test/src/test/resources/postfix/master.cf, shared with the bench
     * scripts); column 5 ("n") turns chroot off, so no files are copied into a jail.
     */
    private static final String MASTER_CF_RESOURCE = "/postfix/master.cf";

    private final Path directory;
    private final int smtpdPort;

    private PostfixInstance(Path directory, int smtpdPort) {
        this.directory = directory;
        this.smtpdPort = smtpdPort;
    }

    /**
     * Starts an instance in {@code directory} with the notes' main.cf plus {@code settings}
     * (e.g. relayhost). Skips the calling test when Postfix is not installed or the JVM is not root
     * (a failure instead when {@link RequiredTools} requires postfix); an instance that does not
     * start always fails it.
     */
    public static PostfixInstance start(Path directory, Map<String, String> settings) {
        return start(directory, settings, "");
    }

    /**
     * Like {@link #start(Path, Map)}, then appends {@code appendix} verbatim to main.cf after the
     * settings (e.g. the shipped deploy/postfix/main.cf snippet); where it repeats a parameter,
     * Postfix uses its value, the last one in the file.
     */
    public static PostfixInstance start(Path directory, Map<String, String> settings, String appendix) {
        RequiredTools.assume(
                "postfix",
                Files.isExecutable(POSTFIX) && Files.isExecutable(SENDMAIL),
                "Postfix is not installed (no " + POSTFIX + "); install Debian's postfix package to run this test");
        RequiredTools.assume(
                "postfix", isRoot(), "a private Postfix instance needs root (its daemons switch to the postfix user)");
        PostfixInstance instance = new PostfixInstance(directory, FreePorts.next());
        try {
            instance.writeConfiguration(settings, appendix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out a Postfix instance in " + directory, e);
        }
        CommandResult started =
                instance.run(List.of(POSTFIX.toString(), "-c", instance.etc().toString(), "start"), null);
        if (started.exitCode() != 0 || !Files.exists(instance.masterPidFile())) {
            // Postfix is there, so a configuration it refuses (ours or the shipped snippet) is a failure.
            instance.close();
            throw new AssertionFailedError("the private Postfix instance in " + directory + " did not start (exit "
                    + started.exitCode() + "): " + started.output() + "\n" + instance.maillog());
        }
        return instance;
    }

    /** The port of this instance's smtpd on 127.0.0.1. */
    public int smtpdPort() {
        return smtpdPort;
    }

    /** Submits {@code message} (LF line ends, as local programs write mail) with the sendmail command. */
    public void sendmail(String sender, List<String> recipients, Path message) {
        List<String> command = new ArrayList<>(List.of(
                SENDMAIL.toString(),
                "-C",
                etc().toString(),
                // -i: a line holding only "." is content, not the end of input
                "-i",
                "-f",
                sender,
                "--"));
        command.addAll(recipients);
        CommandResult result = run(command, message);
        if (result.exitCode() != 0) {
            throw new AssertionError("sendmail failed for " + message + ": " + result.output());
        }
    }

    /** The text of this instance's main.cf as written. */
    public String mainCf() {
        try {
            return Files.readString(etc().resolve("main.cf"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The instance's log file, DIR/maillog, or "" before anything was logged. */
    public String maillog() {
        try {
            Path log = directory.resolve("maillog");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the instance; if its master outlives {@code postfix stop}, it is killed. */
    @Override
    public void close() {
        long masterPid = readMasterPid();
        run(List.of(POSTFIX.toString(), "-c", etc().toString(), "stop"), null);
        if (masterPid > 0) {
            ProcessHandle.of(masterPid).ifPresent(master -> {
                try {
                    master.onExit().get(20, TimeUnit.SECONDS);
                } catch (Exception stillRunning) {
                    master.destroyForcibly();
                }
            });
        }
    }

    private void writeConfiguration(Map<String, String> settings, String appendix) throws IOException {
        // Postfix daemons run as the postfix user and must reach data/ and the log through this directory.
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(etc());
        Files.createDirectories(directory.resolve("queue"));
        Path data = Files.createDirectories(directory.resolve("data"));
        UserPrincipalLookupService users = data.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(data, users.lookupPrincipalByName("postfix"));
        StringBuilder mainCf = new StringBuilder();
        mainCf.append("compatibility_level = 3.6\n")
                .append("queue_directory = ")
                .append(directory.resolve("queue"))
                .append('\n')
                .append("data_directory = ")
                .append(data)
                .append('\n')
                .append("mail_owner = postfix\n")
                .append("setgid_group = postdrop\n")
                .append("maillog_file = ")
                .append(directory.resolve("maillog"))
                .append('\n')
                // without this, Postfix refuses maillog_file outside /var and says so only on a terminal
                .append("maillog_file_prefixes = ")
                .append(directory)
                .append('\n')
                .append("inet_interfaces = 127.0.0.1\n")
                .append("inet_protocols = ipv4\n")
                .append("myhostname = postfix.test\n")
                .append("mydestination =\n")
                .append("alias_maps =\n")
                .append("alias_database =\n")
                .append("mynetworks = 127.0.0.0/8\n");
        settings.forEach(
                (key, value) -> mainCf.append(key).append(" = ").append(value).append('\n'));
        mainCf.append(appendix);
        Files.writeString(etc().resolve("main.cf"), mainCf);
        Files.writeString(etc().resolve("master.cf"), masterCf(smtpdPort));
    }

    private Path etc() {
        return directory.resolve("etc");
    }

    private Path masterPidFile() {
        return directory.resolve("queue/pid/master.pid");
    }

    private long readMasterPid() {
        try {
            return Files.exists(masterPidFile())
                    ? Long.parseLong(Files.readString(masterPidFile()).strip())
                    : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private record CommandResult(int exitCode, String output) {}

    /**
     * Runs a Postfix command with its output in a file, not a pipe: `postfix start` leaves a
     * daemon behind, and a daemon that inherited the pipe would keep a reader waiting forever.
     */
    private CommandResult run(List<String> command, Path stdin) {
        try {
            Path output = Files.createTempFile(directory, "command-", ".out");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(
                            stdin != null
                                    ? stdin.toFile()
                                    : Path.of("/dev/null").toFile())
                    .start();
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new CommandResult(-1, "timed out: " + command);
            }
            String text = new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
            Files.delete(output);
            return new CommandResult(process.exitValue(), text);
        } catch (IOException e) {
            return new CommandResult(-1, command + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CommandResult(-1, "interrupted: " + command);
        }
    }

    private static String masterCf(int smtpdPort) throws IOException {
        try (var in = PostfixInstance.class.getResourceAsStream(MASTER_CF_RESOURCE)) {
            if (in == null) {
                throw new IOException("test resource " + MASTER_CF_RESOURCE + " is missing");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)
                    .replace("@SMTPD_PORT@", Integer.toString(smtpdPort));
        }
    }
}
