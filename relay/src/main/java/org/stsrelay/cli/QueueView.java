package org.stsrelay.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import org.stsrelay.queue.QueueControl;
import org.stsrelay.spool.Envelope;
import org.stsrelay.spool.RecipientState;
import org.stsrelay.spool.SpoolInspector;

/** How {@code queue list} shows messages: a table for people, JSON for scripts. */
final class QueueView {

    /** The size column is right-aligned to this width (nine digits: up to 999,999,999 octets). */
    private static final int SIZE_WIDTH = 9;

    private final QueueControl.Holds holds;
    private final boolean paused;

    QueueView(QueueControl.Holds holds, boolean paused) {
        this.holds = holds;
        this.paused = paused;
    }

    String json(List<SpoolInspector.Entry> entries) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode array = mapper.createArrayNode();
        for (SpoolInspector.Entry entry : entries) {
            Envelope e = entry.message().envelope();
            ObjectNode o = array.addObject();
            o.put("id", e.id().value());
            o.put("sender", e.sender());
            ArrayNode rcpts = o.putArray("recipients");
            e.recipients().forEach(r -> rcpts.add(r.address()));
            o.put("size", entry.message().size());
            o.put("arrival", e.arrival().toString());
            o.put("client", e.client().address());
            o.put("held", held(entry));
            ArrayNode states = o.putArray("states");
            for (int i = 0; i < e.recipients().size(); i++) {
                RecipientState state = entry.state().recipients().get(i);
                ObjectNode s = states.addObject();
                s.put("recipient", e.recipients().get(i).address());
                s.put("state", name(state));
                s.put("attempts", state.attempts());
                s.put("next-attempt", state.nextAttempt().map(Object::toString).orElse(null));
                s.put(
                        "last-error",
                        state.status() == RecipientState.Status.DELIVERED
                                ? null
                                : state.lastResult().orElse(null));
            }
        }
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array);
    }

    void printTable(List<SpoolInspector.Entry> entries, PrintWriter out) {
        if (holds.holdsAll(paused)) {
            out.println("delivery is held (" + (holds.all() ? "queue hold" : "delivery.paused")
                    + "); `queue release` resumes it");
        }
        holds.domains().stream().sorted().forEach(d -> out.println("delivery to " + d + " is held"));
        InstantText arrivals = new InstantText();
        InstantText nextAttempts = new InstantText();
        for (SpoolInspector.Entry entry : entries) {
            Envelope e = entry.message().envelope();
            String size = Long.toString(entry.message().size());
            StringBuilder head = new StringBuilder(96).append(e.id().value()).append("  ");
            out.println(arrivals.append(head, e.arrival())
                    .append("  ")
                    .append(" ".repeat(Math.max(0, SIZE_WIDTH - size.length())))
                    .append(size)
                    .append("  <")
                    .append(e.sender())
                    .append('>')
                    .append(held(entry) ? "  held" : ""));
            for (int i = 0; i < e.recipients().size(); i++) {
                RecipientState state = entry.state().recipients().get(i);
                StringBuilder line = new StringBuilder("    <")
                        .append(e.recipients().get(i).address())
                        .append(">  ")
                        .append(name(state));
                if (state.attempts() > 0) {
                    line.append("  attempts ").append(state.attempts());
                }
                state.nextAttempt().ifPresent(next -> nextAttempts.append(line.append("  next "), next));
                if (state.status() != RecipientState.Status.DELIVERED) {
                    state.lastResult().ifPresent(last -> line.append("  ").append(last));
                }
                out.println(line);
            }
        }
        out.printf("%d message(s)%n", entries.size());
    }

    /** Held: everything is held, or a pending recipient's destination is. */
    private boolean held(SpoolInspector.Entry entry) {
        if (holds.holdsAll(paused)) {
            return true;
        }
        if (holds.domains().isEmpty()) {
            return false;
        }
        List<Envelope.Recipient> recipients = entry.message().envelope().recipients();
        for (int i = 0; i < recipients.size(); i++) {
            if (!entry.state().recipients().get(i).isFinal()
                    && holds.domains()
                            .contains(QueueControl.domainOf(recipients.get(i).address()))) {
                return true;
            }
        }
        return false;
    }

    /** queued (never tried), deferred (tried, waiting to retry), delivered, bounced. */
    private static String name(RecipientState state) {
        return switch (state.status()) {
            case PENDING -> state.attempts() == 0 ? "queued" : "deferred";
            case DELIVERED -> "delivered";
            case BOUNCED -> "bounced";
        };
    }
}
