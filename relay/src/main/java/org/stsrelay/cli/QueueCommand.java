package org.stsrelay.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.spool.Envelope;
import org.stsrelay.spool.QueueId;
import org.stsrelay.spool.SpoolInspector;
import org.stsrelay.spool.SpooledMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code queue list|show|delete}: reads the spool directly, so it works whether or not the relay runs. */
@Command(name = "queue", mixinStandardHelpOptions = true,
        description = "Inspect and manage the messages in the spool.",
        subcommands = {QueueCommand.ListMessages.class, QueueCommand.ShowMessage.class, QueueCommand.DeleteMessages.class})
final class QueueCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Opens the inspector on the configured spool, or reports the configuration's problems. */
    private static SpoolInspector inspector(ConfigOption config, PrintWriter err) {
        RelayConfig cfg = config.loadOrReport(err);
        return cfg == null ? null : new SpoolInspector(cfg.spool().directory());
    }

    private static QueueId parseId(String text, PrintWriter err) {
        QueueId id = QueueId.parseOrNull(text);
        if (id == null) {
            err.println("sts-relay: \"" + text + "\" is not a queue id (16 letters and digits, as `queue list` shows)");
        }
        return id;
    }

    /** Lists every message held: id, arrival, size, sender, recipients. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the messages in the spool.")
    static final class ListMessages implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--json", description = "Print a JSON array instead of a table.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            SpoolInspector inspector = inspector(config, spec.commandLine().getErr());
            if (inspector == null) {
                return Main.EXIT_CONFIG;
            }
            List<SpooledMessage> messages = inspector.list();
            if (json) {
                out.println(toJson(messages));
            } else {
                printTable(messages, out);
            }
            out.flush();
            return 0;
        }

        private static String toJson(List<SpooledMessage> messages) throws IOException {
            ObjectMapper mapper = new ObjectMapper();
            ArrayNode array = mapper.createArrayNode();
            for (SpooledMessage m : messages) {
                Envelope e = m.envelope();
                ObjectNode o = array.addObject();
                o.put("id", e.id().value());
                o.put("sender", e.sender());
                ArrayNode rcpts = o.putArray("recipients");
                e.recipients().forEach(r -> rcpts.add(r.address()));
                o.put("size", m.size());
                o.put("arrival", e.arrival().toString());
                o.put("client", e.client().address());
            }
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array);
        }

        private static void printTable(List<SpooledMessage> messages, PrintWriter out) {
            for (SpooledMessage m : messages) {
                Envelope e = m.envelope();
                out.printf("%s  %s  %9d  <%s>%n", e.id(), e.arrival(), m.size(), e.sender());
                for (Envelope.Recipient r : e.recipients()) {
                    out.printf("    <%s>%n", r.address());
                }
            }
            out.printf("%d message(s)%n", messages.size());
        }
    }

    /** Writes one message's spooled content, exactly as stored, to standard output. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Write a message's spooled content (with the Received: header the relay added) to stdout.")
    static final class ShowMessage implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "ID", description = "Queue id, as `queue list` shows it.")
        String id;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            SpoolInspector inspector = inspector(config, err);
            if (inspector == null) {
                return Main.EXIT_CONFIG;
            }
            QueueId queueId = parseId(id, err);
            if (queueId == null) {
                return Main.EXIT_CONFIG;
            }
            OutputStream out = System.out;
            if (!inspector.copyContent(queueId, out)) {
                err.println("sts-relay: no message " + queueId + " in the spool");
                return 1;
            }
            out.flush();
            return 0;
        }
    }

    /** Removes messages from the spool; a running relay applies the removal within a second. */
    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = {"Delete messages from the spool; they are never delivered.",
                    "A running relay applies this within a second."})
    static final class DeleteMessages implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "ID", arity = "1..*", description = "Queue ids, as `queue list` shows them.")
        List<String> ids;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter out = spec.commandLine().getOut();
            SpoolInspector inspector = inspector(config, err);
            if (inspector == null) {
                return Main.EXIT_CONFIG;
            }
            int missing = 0;
            for (String text : ids) {
                QueueId queueId = parseId(text, err);
                if (queueId == null) {
                    return Main.EXIT_CONFIG;
                }
                switch (inspector.requestDelete(queueId)) {
                    case REQUESTED -> out.println(queueId + ": deleted");
                    case ALREADY_REQUESTED -> out.println(queueId + ": deletion already requested");
                    case NOT_FOUND -> {
                        err.println("sts-relay: no message " + queueId + " in the spool");
                        missing++;
                    }
                }
            }
            out.flush();
            return missing == 0 ? 0 : 1;
        }
    }
}
