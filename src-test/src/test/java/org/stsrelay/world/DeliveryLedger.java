package org.stsrelay.world;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which accepted messages a sink has seen, by the queue id the relay wrote into its {@code Received:} field: a
 * message delivered twice (a retry after a lost reply, a replay after a crash) counts once as delivered and once
 * as a duplicate, so a soak can tell "nothing lost" from "nothing lost and nothing doubled".
 */
final class DeliveryLedger {

    // RFC 5321 §4.4: "with" protocol, then the optional "id" clause naming the receiver's queue entry.
    private static final Pattern ID = Pattern.compile("\\bwith \\S+ id ([^\\s;]+)");

    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong unidentified = new AtomicLong();

    /** Records one received message by the text of its content. */
    void record(String content) {
        Optional<String> id = queueId(content);
        if (id.isEmpty()) {
            unidentified.incrementAndGet();
        } else if (!seen.add(id.get())) {
            duplicates.incrementAndGet();
        }
    }

    /** Distinct queue ids received. */
    long distinct() {
        return seen.size();
    }

    /** Messages whose queue id had been received before. */
    long duplicates() {
        return duplicates.get();
    }

    /** Messages without a readable queue id in their top {@code Received:} field. */
    long unidentified() {
        return unidentified.get();
    }

    /** The queue id of the top {@code Received:} field, if it names one. */
    static Optional<String> queueId(String content) {
        return BenchSink.firstField(content, "Received").flatMap(field -> {
            Matcher matcher = ID.matcher(field);
            return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
        });
    }
}
