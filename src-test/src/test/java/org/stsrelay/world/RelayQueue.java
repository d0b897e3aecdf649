package org.stsrelay.world;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The relay's spool as its operator sees it, through {@code queue list --json} and
 * {@code queue show ID}: each call is a run of the jar, whether or not the relay is running.
 *
 * @param jar the relay jar
 * @param config the configuration naming the spool
 * @param scratch a directory for the subcommands' output files
 */
public record RelayQueue(RelayJar jar, RelayConfigFile config, Path scratch) {

    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);

    /** Extra fields are tolerated: the contract fixes the ones tests rely on, not the only ones. */
    private static final ObjectMapper JSON =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Every spooled message, in the order the relay lists them. */
    public List<QueueEntry> list() {
        CliResult result = jar.run(scratch, CLI_TIMEOUT, "queue", "list", "--json", "--config", configPath());
        if (result.exitCode() != 0) {
            throw new AssertionError("queue list --json failed: " + result.describe());
        }
        try {
            return JSON.readValue(result.stdout(), new TypeReference<List<QueueEntry>>() {});
        } catch (IOException | IllegalArgumentException e) {
            throw new AssertionError(
                    "queue list --json printed no valid JSON array of entries: " + result.describe(), e);
        }
    }

    /** The raw spooled content of one message, exactly as {@code queue show} writes it. */
    public byte[] show(String id) {
        CliResult result = jar.run(scratch, CLI_TIMEOUT, "queue", "show", id, "--config", configPath());
        if (result.exitCode() != 0) {
            throw new AssertionError("queue show " + id + " failed: " + result.describe());
        }
        return result.stdout();
    }

    /**
     * Runs {@code queue show} for every id, a few at a time, and keeps only what {@code digest}
     * makes of each content, so hundreds of megabytes of messages are never held at once.
     */
    public <T> Map<String, T> showAll(Collection<String> ids, Function<byte[], T> digest) {
        int parallelism = Math.max(2, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try {
            Map<String, T> digests = new ConcurrentHashMap<>();
            List<Future<?>> runs = new ArrayList<>();
            for (String id : ids) {
                runs.add(pool.submit(() -> digests.put(id, digest.apply(show(id)))));
            }
            for (Future<?> run : runs) {
                await(run);
            }
            return digests;
        } finally {
            pool.shutdownNow();
        }
    }

    private String configPath() {
        return config.file().toString();
    }

    private static void await(Future<?> run) {
        try {
            run.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError failure) {
                throw failure;
            }
            throw new AssertionError(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
