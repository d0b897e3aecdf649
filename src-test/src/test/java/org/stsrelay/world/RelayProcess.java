package org.stsrelay.world;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The relay running as a separate process ({@code java -jar sts-relay.jar run --config FILE}),
 * exactly as an operator starts it. Its stdout and stderr go to a log file whose tail is attached
 * to failures, because a black-box failure is only explicable with the relay's own account.
 */
public final class RelayProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(40);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int LOG_TAIL_LINES = 60;

    private final RelayConfigFile config;
    private final Path log;
    private final Process process;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private RelayProcess(RelayConfigFile config, Path log, Process process) {
        this.config = config;
        this.log = log;
        this.process = process;
    }

    /** Starts the relay with {@code config}, logging to {@code log}, and returns once it is ready. */
    public static RelayProcess start(RelayJar jar, RelayConfigFile config, Path log) {
        ProcessBuilder builder = new ProcessBuilder(
                        jar.serverCommand("run", "--config", config.file().toString()))
                .directory(config.file().getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        try {
            RelayProcess relay = new RelayProcess(config, log, builder.start());
            relay.awaitReady();
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + builder.command(), e);
        }
    }

    /** The configuration the relay runs with. */
    public RelayConfigFile config() {
        return config;
    }

    /** The operating-system process id, e.g. to read its memory use from /proc. */
    public long pid() {
        return process.pid();
    }

    /** Whether the process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the relay gets no chance to flush or close anything, as in a power cut of the process. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(STOP_TIMEOUT);
    }

    /** SIGTERM, the orderly stop; returns the exit code. */
    public int stop() {
        process.destroy();
        return awaitExit(STOP_TIMEOUT);
    }

    /** The Prometheus text from /metrics. */
    public String metrics() {
        HttpResponse<String> response = get("/metrics");
        if (response == null || response.statusCode() != 200) {
            throw annotate(new AssertionError(
                    "GET /metrics failed: " + (response == null ? "no connection" : response.statusCode())));
        }
        return response.body();
    }

    /** Every line the relay has logged so far. */
    public List<String> logLines() {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the relay log " + log, e);
        }
    }

    /** The last lines of the relay's log, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
            return "--- last " + tail.size() + " lines of " + log + " ---\n" + String.join("\n", tail);
        } catch (IOException e) {
            return "--- relay log " + log + " unreadable: " + e + " ---";
        }
    }

    /** The same failure with the relay's log tail appended. */
    public AssertionError annotate(AssertionError failure) {
        AssertionError annotated = new AssertionError(failure.getMessage() + "\n" + logTail(), failure);
        annotated.setStackTrace(failure.getStackTrace());
        return annotated;
    }

    /** Kills the relay if a test left it running. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!isReady()) {
            if (waitForExit(Duration.ofMillis(100))) {
                throw annotate(
                        new AssertionError("relay exited with code " + process.exitValue() + " before it was ready"));
            }
            if (System.nanoTime() - deadline > 0) {
                process.destroyForcibly();
                throw annotate(new AssertionError(
                        "relay not ready (GET /readyz 200 and SMTP port open)" + " within " + READY_TIMEOUT));
            }
        }
    }

    private boolean isReady() {
        HttpResponse<String> response = get("/readyz");
        if (response == null || response.statusCode() != 200) {
            return false;
        }
        try (Socket ignored = new Socket(config.smtpAddress().getAddress(), config.smtpPort())) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private HttpResponse<String> get(String path) {
        URI uri = config.metricsBase().resolve(path);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException notListening) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private int awaitExit(Duration timeout) {
        if (!waitForExit(timeout)) {
            process.destroyForcibly();
            throw annotate(new AssertionError("relay did not exit within " + timeout));
        }
        return process.exitValue();
    }

    private boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
