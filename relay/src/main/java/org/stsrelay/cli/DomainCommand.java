package org.stsrelay.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code domain ...}: tools for the organisation's own receiving domains. */
@Command(
        name = "domain",
        mixinStandardHelpOptions = true,
        description = "Tools for your own receiving domains: generate their MTA-STS and TLS-RPT records.",
        subcommands = {DomainPlanCommand.class})
final class DomainCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
