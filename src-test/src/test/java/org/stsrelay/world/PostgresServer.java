package org.stsrelay.world;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.opentest4j.AssertionFailedError;
import org.stsrelay.policy.testing.RequiredTools;

/**
 * A private PostgreSQL server, Debian's {@code postgresql} package, run by its own commands ({@code initdb},
 * {@code pg_ctl}) from a temporary directory on a free port of 127.0.0.1, with password authentication and one
 * database, {@code stsrelay}. PostgreSQL refuses to run as root, so under root every command runs as the
 * package's unprivileged {@code postgres} user. The system's own cluster is never touched.
 */
public final class PostgresServer implements AutoCloseable {

    /** The database user the relays connect as. */
    public static final String USER = "stsrelay";

    private static final Path VERSIONS = Path.of("/usr/lib/postgresql");
    private static final String PASSWORD = "fleet-test-password";

    private final Path bin;
    private final Path directory;
    private final int port;
    private boolean running;

    private PostgresServer(Path bin, Path directory, int port) {
        this.bin = bin;
        this.directory = directory;
        this.port = port;
    }

    /**
     * Creates and starts a server; skips the calling test when PostgreSQL is not installed (a failure instead when
     * {@link RequiredTools} requires {@code postgresql}).
     */
    public static PostgresServer start() {
        Optional<Path> bin = binaries();
        RequiredTools.assume(
                "postgresql",
                bin.isPresent(),
                "PostgreSQL is not installed (no " + VERSIONS + "/*/bin/initdb); install Debian's postgresql package");
        try {
            // Not a JUnit @TempDir: those are private to root, and the server's user must reach its directory.
            Path directory = Files.createTempDirectory("sts-postgres-");
            PostgresServer server = new PostgresServer(bin.get(), directory, FreePorts.next());
            server.initialise();
            server.startServer();
            server.createDatabase();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up PostgreSQL", e);
        }
    }

    private static Optional<Path> binaries() {
        if (!Files.isDirectory(VERSIONS)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(VERSIONS)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(b -> versionOf(b.getParent())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int versionOf(Path versionDirectory) {
        try {
            return Integer.parseInt(versionDirectory.getFileName().toString());
        } catch (NumberFormatException other) {
            return 0;
        }
    }

    private void initialise() throws IOException {
        Path passwordFile = Files.writeString(directory.resolve("initdb-password"), PASSWORD);
        if (isRoot()) {
            run(List.of("chown", "-R", "postgres:postgres", directory.toString()), false);
        }
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        run(
                List.of(
                        bin.resolve("initdb").toString(),
                        "-D",
                        data().toString(),
                        "-U",
                        USER,
                        "--auth=scram-sha-256",
                        "--pwfile=" + passwordFile,
                        "-E",
                        "UTF8",
                        "--locale=C",
                        "--no-sync"),
                true);
    }

    /** Starts the server (again, after {@link #stopServer()}) on the same port and data; returns once it accepts. */
    public void startServer() {
        run(
                List.of(
                        bin.resolve("pg_ctl").toString(),
                        "-D",
                        data().toString(),
                        "-l",
                        directory.resolve("server.log").toString(),
                        "-w",
                        "-t",
                        "60",
                        "-o",
                        "-p " + port + " -k " + directory + " -c listen_addresses=127.0.0.1"
                                + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                                + " -c max_connections=60",
                        "start"),
                true);
        running = true;
    }

    /** Stops the server with its own command (a fast shutdown: sessions are ended), keeping the data. */
    public void stopServer() {
        if (running) {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "stop"), true);
            running = false;
        }
    }

    private void createDatabase() {
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE stsrelay");
        } catch (SQLException e) {
            throw new AssertionFailedError("cannot create the stsrelay database: " + e.getMessage() + log());
        }
    }

    /** The JDBC URL of the {@code stsrelay} database, as {@code cluster.database} takes it. */
    public String jdbcUrl() {
        return url("stsrelay");
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Writes the password to {@code file}, for {@code cluster.password-file}. */
    public Path writePasswordFile(Path file) throws IOException {
        return Files.writeString(file, PASSWORD + "\n");
    }

    /** Opens a connection to the {@code stsrelay} database, for the test's own checks. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
    }

    /** The first column of the first row of {@code sql} as a number; 0 when there is no row. */
    public long number(String sql) {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery(sql)) {
            return rows.next() ? rows.getLong(1) : 0;
        } catch (SQLException e) {
            throw new AssertionFailedError("query failed: " + sql + ": " + e.getMessage());
        }
    }

    /** The server's log, for failure messages. */
    public String log() {
        try {
            Path log = directory.resolve("server.log");
            return Files.exists(log) ? "\n" + Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "\n(cannot read the server log: " + e.getMessage() + ")";
        }
    }

    private Path data() {
        return directory.resolve("data");
    }

    private void run(List<String> command, boolean asServerUser) {
        List<String> full = new ArrayList<>();
        if (asServerUser && isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full)
                    .redirectErrorStream(true)
                    .directory(directory.toFile())
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionFailedError(String.join(" ", full) + " failed: " + output + log());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + full, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionFailedError("interrupted while running " + full);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Stops the server by its own stop command, then deletes its directory. */
    @Override
    public void close() {
        try {
            stopServer();
        } finally {
            deleteTree(directory);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover directory under /tmp is harmless.
        }
    }
}
