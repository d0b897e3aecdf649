package org.stsrelay.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.stsrelay.config.ConfigException;
import org.stsrelay.config.ConfigLoader;
import org.stsrelay.config.RelayConfig;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option every subcommand takes, and loading it. */
final class ConfigOption {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            defaultValue = "config/relay.yaml",
            description = "Configuration file (default: ${DEFAULT-VALUE}).")
    Path file;

    /** The configuration, or null after printing every problem to {@code err}. */
    RelayConfig loadOrReport(PrintWriter err) {
        try {
            return new ConfigLoader().load(file);
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
            err.flush();
            return null;
        }
    }
}
