package org.stsrelay.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code received}: the TLS-RPT reports the organisation's own domains receive (RFC 8460). */
@Command(
        name = "received",
        mixinStandardHelpOptions = true,
        description = "Work with the TLS-RPT (RFC 8460) reports your own domains receive.",
        subcommands = {ReceivedImportCommand.class, ReceivedSummaryCommand.class})
final class ReceivedCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
