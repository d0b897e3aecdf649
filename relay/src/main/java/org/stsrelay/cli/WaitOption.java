package org.stsrelay.cli;

import picocli.CommandLine.Option;

/** The {@code --no-wait} option of every command that leaves a request for the relay. */
final class WaitOption {

    @Option(
            names = "--no-wait",
            description = "Do not wait for a running relay to apply the request; it still does, within a second.")
    boolean noWait;
}
