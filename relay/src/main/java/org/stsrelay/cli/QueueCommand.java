package org.stsrelay.cli;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.control.ControlRequest;
import org.stsrelay.spool.QueueId;
import org.stsrelay.spool.SpoolInspector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code queue list|show|delete|hold|release|flush}: reads the spool and writes requests to its control
 * directory directly, so it works whether or not the relay runs.
 */
@Command(
        name = "queue",
        mixinStandardHelpOptions = true,
        description = "Inspect and manage the messages in the spool.",
        subcommands = {
            QueueCommand.ListMessages.class,
            QueueCommand.ShowMessage.class,
            QueueCommand.DeleteMessages.class,
            QueueHoldCommands.Hold.class,
            QueueHoldCommands.Release.class,
            QueueHoldCommands.Flush.class
        })
final class QueueCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Opens the inspector on the configured spool, or reports the configuration's problems. */
    static SpoolInspector inspector(ConfigOption config, PrintWriter err) {
        RelayConfig cfg = config.loadOrReport(err);
        return cfg == null ? null : new RelayRequests(cfg.spool().directory()).spool();
    }

    static QueueId parseId(String text, PrintWriter err) {
        QueueId id = QueueId.parseOrNull(text);
        if (id == null) {
            err.println("sts-relay: \"" + text + "\" is not a queue id (16 letters and digits, as `queue list` shows)");
        }
        return id;
    }

    /** Lists every message held: id, arrival, size, sender, and each recipient's delivery state. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the messages in the spool.")
    static final class ListMessages implements Callable<Integer> {
        private static final int LISTING_BUFFER = 64 * 1024;

        @Mixin
        ConfigOption config;

        @Option(names = "--json", description = "Print a JSON array instead of a table.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            RelayConfig cfg = config.loadOrReport(spec.commandLine().getErr());
            if (cfg == null) {
                return Main.EXIT_CONFIG;
            }
            RelayRequests requests = new RelayRequests(cfg.spool().directory());
            List<SpoolInspector.Entry> entries = requests.spool().entries();
            QueueView view = new QueueView(
                    requests.holds(cfg.spool().directory()), cfg.delivery().paused());
            // One buffer for the whole listing: the command line's writer flushes at every line, and a deep
            // queue has hundreds of thousands of them.
            PrintWriter listing = new PrintWriter(new BufferedWriter(out, LISTING_BUFFER), false);
            if (json) {
                listing.println(view.json(entries));
            } else {
                view.printTable(entries, listing);
            }
            listing.flush();
            return 0;
        }
    }

    /** Writes one message's spooled content, exactly as stored, to standard output. */
    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = {
                "Write a message's spooled content (with the Received: header the relay added) to stdout;",
                "with --to-directory, write each of several messages to DIR/ID.eml instead."
            })
    static final class ShowMessage implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(
                names = "--to-directory",
                paramLabel = "DIR",
                description = "Write each message to DIR/ID.eml (DIR must exist); then several ids may be given.")
        Path directory;

        @Parameters(paramLabel = "ID", arity = "1..*", description = "Queue id, as `queue list` shows it.")
        List<String> ids;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            if (directory == null && ids.size() > 1) {
                err.println("sts-relay: several ids need --to-directory DIR (stdout holds one message)");
                return Main.EXIT_CONFIG;
            }
            if (directory != null && !Files.isDirectory(directory)) {
                err.println("sts-relay: --to-directory: " + directory + " is not a directory");
                return Main.EXIT_CONFIG;
            }
            SpoolInspector inspector = inspector(config, err);
            if (inspector == null) {
                return Main.EXIT_CONFIG;
            }
            List<QueueId> queueIds = new ArrayList<>();
            for (String text : ids) {
                QueueId queueId = parseId(text, err);
                if (queueId == null) {
                    return Main.EXIT_CONFIG;
                }
                queueIds.add(queueId);
            }
            return directory == null ? toStdout(inspector, queueIds.get(0), err) : toFiles(inspector, queueIds, err);
        }

        private static int toStdout(SpoolInspector inspector, QueueId queueId, PrintWriter err) throws IOException {
            OutputStream out = System.out;
            if (!inspector.copyContent(queueId, out)) {
                err.println("sts-relay: no message " + queueId + " in the spool");
                return 1;
            }
            out.flush();
            return 0;
        }

        // One run for many messages: an export, or a test comparing hundreds, costs one JVM, not one per message.
        private int toFiles(SpoolInspector inspector, List<QueueId> queueIds, PrintWriter err) throws IOException {
            int missing = 0;
            for (QueueId queueId : queueIds) {
                Path file = directory.resolve(queueId + ".eml");
                boolean found;
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
                    found = inspector.copyContent(queueId, out);
                }
                if (!found) {
                    Files.delete(file);
                    err.println("sts-relay: no message " + queueId + " in the spool");
                    missing++;
                }
            }
            return missing == 0 ? 0 : 1;
        }
    }

    /** Removes messages from the spool; a running relay applies the removal within a second. */
    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = {
                "Delete messages from the spool; they are never delivered.",
                "A running relay applies this within a second, a stopped one when it next starts."
            })
    static final class DeleteMessages implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Mixin
        WaitOption wait;

        @Parameters(paramLabel = "ID", arity = "1..*", description = "Queue ids, as `queue list` shows them.")
        List<String> ids;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter out = spec.commandLine().getOut();
            RelayConfig cfg = config.loadOrReport(err);
            if (cfg == null) {
                return Main.EXIT_CONFIG;
            }
            RelayRequests requests = new RelayRequests(cfg.spool().directory());
            List<ControlRequest> submitted = new ArrayList<>();
            int missing = 0;
            for (String text : ids) {
                QueueId queueId = parseId(text, err);
                if (queueId == null) {
                    return Main.EXIT_CONFIG;
                }
                ControlRequest delete = new ControlRequest.DeleteMessage(queueId.value());
                if (requests.isPending(delete)) {
                    out.println(queueId + ": deletion already requested");
                    submitted.add(delete);
                } else if (requests.spool().find(queueId).isEmpty()) {
                    err.println("sts-relay: no message " + queueId + " in the spool");
                    missing++;
                } else {
                    requests.submit(delete);
                    out.println(queueId + ": deleted");
                    submitted.add(delete);
                }
            }
            requests.report(submitted, wait, out);
            out.flush();
            return missing == 0 ? 0 : 1;
        }
    }
}
