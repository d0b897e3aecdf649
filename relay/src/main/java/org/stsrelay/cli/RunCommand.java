package org.stsrelay.cli;

import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.runtime.RelayRuntime;
import org.stsrelay.support.NamedThreads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Runs the relay in the foreground until SIGTERM or SIGINT, then stops it gracefully. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Run the relay in the foreground (stop with SIGTERM or Ctrl-C).")
final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        RelayConfig cfg = config.loadOrReport(spec.commandLine().getErr());
        if (cfg == null) {
            return Main.EXIT_CONFIG;
        }
        RelayRuntime relay;
        try {
            relay = RelayRuntime.start(cfg, Clock.systemUTC());
        } catch (IOException e) {
            spec.commandLine().getErr().println("sts-relay: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(NamedThreads.nonDaemon("shutdown").newThread(() -> {
            log.info("stopping: finishing in-flight transactions");
            relay.close();
            log.info("stopped");
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
