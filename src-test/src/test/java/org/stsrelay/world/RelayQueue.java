package org.stsrelay.world;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The relay's spool as its operator sees it, through {@code queue list --json} and
 * {@code queue show}: each call is a run of the jar, whether or not the relay is running.
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
     * Writes every id's content with one {@code queue show --to-directory} run, and keeps only what {@code digest}
     * makes of each, reading one file at a time, so hundreds of megabytes of messages are never held at once.
     */
    public <T> Map<String, T> showAll(Collection<String> ids, Function<byte[], T> digest) {
        try {
            Path export = Files.createTempDirectory(scratch, "queue-show");
            List<String> args = new ArrayList<>(List.of("queue", "show", "--to-directory", export.toString()));
            args.addAll(ids);
            args.addAll(List.of("--config", configPath()));
            CliResult result = jar.run(scratch, CLI_TIMEOUT, args.toArray(String[]::new));
            if (result.exitCode() != 0) {
                throw new AssertionError("queue show --to-directory failed: " + result.describe());
            }
            Map<String, T> digests = new HashMap<>();
            for (String id : ids) {
                Path file = export.resolve(id + ".eml");
                digests.put(id, digest.apply(Files.readAllBytes(file)));
                Files.delete(file);
            }
            return digests;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read what queue show wrote", e);
        }
    }

    private String configPath() {
        return config.file().toString();
    }
}
