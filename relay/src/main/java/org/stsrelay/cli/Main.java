package org.stsrelay.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sts-relay} command: parses the command line and runs one subcommand. */
@Command(
        name = "sts-relay",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Outbound SMTP relay that enforces MTA-STS and sends TLS-RPT reports.",
        subcommands = {
            RunCommand.class,
            CheckCommand.class,
            DomainCommand.class,
            PolicyCommand.class,
            QueueCommand.class,
            ReportCommand.class,
            ReceivedCommand.class,
            ClusterCommand.class,
            HashPasswordCommand.class
        })
public final class Main implements Runnable {

    /** Exit code for a configuration that cannot be used or a command line that cannot be understood. */
    static final int EXIT_CONFIG = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the command line {@code args} and exits with the command's exit code. */
    public static void main(String[] args) {
        // Set before the first logger exists: a command's stdout is its result (check --json, queue list --json),
        // so only the daemon logs to stdout; every other command logs to stderr.
        if (args.length == 0 || !args[0].equals("run")) {
            System.setProperty("sts.relay.log.target", "System.err");
        }
        System.exit(commandLine().execute(args));
    }

    /** The command line with every subcommand, usage errors mapped to exit code 2. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((ex, argv) -> {
            ex.getCommandLine().getErr().println("sts-relay: " + ex.getMessage());
            ex.getCommandLine()
                    .getErr()
                    .println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return EXIT_CONFIG;
        });
        // Operators get one line, never a stack trace, for an expected failure such as an unreadable spool.
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (!(ex instanceof java.io.IOException)) {
                throw ex;
            }
            commandLine.getErr().println("sts-relay: " + ex.getMessage());
            return 1;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
