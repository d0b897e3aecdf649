package org.stsrelay.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.control.ControlRequest;
import org.stsrelay.queue.QueueControl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code queue hold|release|flush [DOMAIN]}: requests to the relay, applied by a running relay within a second,
 * and by a stopped one when it starts.
 */
final class QueueHoldCommands {

    private QueueHoldCommands() {}

    /** What the three commands share: the configuration, the optional domain, and how they report. */
    abstract static class ControlCommand implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Mixin
        WaitOption wait;

        @Parameters(
                paramLabel = "DOMAIN",
                arity = "0..1",
                description = "A destination domain; without one, all destinations.")
        String domain;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            RelayConfig cfg = config.loadOrReport(err);
            if (cfg == null) {
                return Main.EXIT_CONFIG;
            }
            Optional<String> target;
            try {
                target = Optional.ofNullable(domain).map(QueueControl::domain);
            } catch (IllegalArgumentException e) {
                err.println("sts-relay: " + e.getMessage());
                err.flush();
                return Main.EXIT_CONFIG;
            }
            RelayRequests requests = new RelayRequests(cfg.spool().directory());
            PrintWriter out = spec.commandLine().getOut();
            QueueControl.Holds holds = requests.holds(cfg.spool().directory());
            ControlRequest request = request(target);
            requests.submit(request);
            out.println(describe(target, holds, cfg.delivery().paused()));
            requests.report(List.of(request), wait, out);
            out.flush();
            return 0;
        }

        /** The request this command leaves. */
        abstract ControlRequest request(Optional<String> domain);

        /** What the command did, given the holds before it. */
        abstract String describe(Optional<String> domain, QueueControl.Holds before, boolean paused);
    }

    /** Holds delivery (all, or one destination); acceptance goes on. */
    @Command(
            name = "hold",
            mixinStandardHelpOptions = true,
            description = {
                "Hold delivery of all queued mail, or of mail to one domain; the relay keeps accepting.",
                "The hold stays (across restarts) until `queue release`."
            })
    static final class Hold extends ControlCommand {
        @Override
        ControlRequest request(Optional<String> domain) {
            return new ControlRequest.Hold(domain);
        }

        @Override
        String describe(Optional<String> domain, QueueControl.Holds before, boolean paused) {
            return "delivery " + domain.map(d -> "to " + d + " ").orElse("") + "held";
        }
    }

    /** Releases a hold (all, or one destination). */
    @Command(
            name = "release",
            mixinStandardHelpOptions = true,
            description = {
                "Release a hold of all delivery, or of delivery to one domain.",
                "Releasing all also resumes a running relay started with delivery.paused: true (until its next "
                        + "start)."
            })
    static final class Release extends ControlCommand {
        @Override
        ControlRequest request(Optional<String> domain) {
            return new ControlRequest.Release(domain);
        }

        @Override
        String describe(Optional<String> domain, QueueControl.Holds before, boolean paused) {
            boolean wasHeld = domain.isPresent() ? before.domains().contains(domain.get()) : before.holdsAll(paused);
            String what = "delivery " + domain.map(d -> "to " + d + " ").orElse("");
            return wasHeld ? what + "released" : what + "was not held";
        }
    }

    /** Makes deferred mail (all, or to one destination) due now. */
    @Command(
            name = "flush",
            mixinStandardHelpOptions = true,
            description = {
                "Retry deferred mail now: all of it, or the mail to one domain.",
                "A running relay applies this within a second; held mail stays held."
            })
    static final class Flush extends ControlCommand {
        @Override
        ControlRequest request(Optional<String> domain) {
            return new ControlRequest.Flush(domain);
        }

        @Override
        String describe(Optional<String> domain, QueueControl.Holds before, boolean paused) {
            return "flush of " + domain.orElse("all destinations") + " requested";
        }
    }
}
