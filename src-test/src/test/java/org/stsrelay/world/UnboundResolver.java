package org.stsrelay.world;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.opentest4j.AssertionFailedError;
import org.stsrelay.policy.testing.RequiredTools;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A private validating resolver, Debian's unbound, run from its own directory as a child process on a free
 * port of 127.0.0.1: it resolves everything at the world's DNS (a stub zone for the root) and validates from
 * the world's anchor, as the local resolver that {@code dns.dnssec: resolver} trusts. It never touches the
 * system's /etc/unbound instance.
 */
public final class UnboundResolver implements AutoCloseable {

    private static final Path UNBOUND = Path.of("/usr/sbin/unbound");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final Path directory;
    private final int port;

    private UnboundResolver(Process process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    /**
     * Starts unbound in {@code directory} for {@code world} and returns once it answers. Skips the calling test
     * when unbound is not installed (a failure instead when {@link RequiredTools} requires unbound); an unbound
     * that does not start always fails it.
     */
    public static UnboundResolver start(Path directory, WorldDns world) {
        RequiredTools.assume(
                "unbound",
                Files.isExecutable(UNBOUND),
                "unbound is not installed (no " + UNBOUND + "); install Debian's unbound package to run this test");
        for (int attempt = 1; ; attempt++) {
            UnboundResolver unbound = launch(directory, world, FreePorts.next());
            if (unbound.awaitAnswers()) {
                return unbound;
            }
            // The free TCP port's UDP twin may be taken by another process; any other failure repeats itself.
            if (attempt == START_ATTEMPTS) {
                throw new AssertionFailedError(
                        "unbound did not start (exit " + unbound.process.exitValue() + "): " + unbound.log());
            }
        }
    }

    private static UnboundResolver launch(Path directory, WorldDns world, int port) {
        try {
            Path conf = Files.writeString(directory.resolve("unbound.conf"), configuration(directory, port, world));
            Process process = new ProcessBuilder(UNBOUND.toString(), "-d", "-c", conf.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("unbound.out").toFile())
                    .start();
            return new UnboundResolver(process, directory, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start unbound in " + directory, e);
        }
    }

    /** {@code 127.0.0.1:port}, as {@code dns.servers} takes it. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** What unbound wrote to its log file and its standard output, for failure messages. */
    public String log() {
        return read(directory.resolve("unbound.log")) + read(directory.resolve("unbound.out"));
    }

    /**
     * The unbound.conf essentials: only loopback, no chroot or user switch (the files stay in the test's
     * directory), the world as a stub for the root queried on its own port, the world's DS as the only anchor,
     * and the world's {@code test.} names resolved rather than answered NXDOMAIN locally, as unbound does by
     * default for the special-use names of RFC 6761 §6.2.
     */
    static String configuration(Path directory, int port, WorldDns world) {
        return """
                server:
                  interface: 127.0.0.1@%d
                  port: %d
                  do-ip6: no
                  access-control: 127.0.0.0/8 allow
                  do-not-query-localhost: no
                  chroot: ""
                  username: ""
                  directory: "%s"
                  pidfile: "%s"
                  logfile: "%s"
                  use-syslog: no
                  verbosity: 1
                  val-log-level: 2
                  num-threads: 1
                  module-config: "validator iterator"
                  qname-minimisation: no
                  local-zone: "test." nodefault
                  trust-anchor: "%s"
                remote-control:
                  control-enable: no
                stub-zone:
                  name: "."
                  stub-addr: 127.0.0.1@%d
                """.formatted(
                        port,
                        port,
                        directory,
                        directory.resolve("unbound.pid"),
                        directory.resolve("unbound.log"),
                        world.anchorRecord(),
                        world.port());
    }

    // Any answer to the root's SOA means unbound is listening; false once it has exited without answering.
    private boolean awaitAnswers() {
        try {
            Await.until(
                    START_TIMEOUT,
                    () -> !process.isAlive() || answers(),
                    () -> "unbound on " + address() + " does not answer: " + log());
        } catch (AssertionError notStarted) {
            close();
            throw notStarted;
        }
        return process.isAlive();
    }

    private boolean answers() {
        try {
            SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
            resolver.setPort(port);
            resolver.setTimeout(Duration.ofMillis(500));
            resolver.send(Message.newQuery(Record.newRecord(Name.root, Type.SOA, DClass.IN)));
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** Stops unbound by its own process: a TERM, then a KILL if it has not exited in 10 seconds. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
