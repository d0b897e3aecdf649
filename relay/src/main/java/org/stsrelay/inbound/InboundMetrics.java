package org.stsrelay.inbound;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Every inbound meter, defined in one place; tags come from {@link Reason}, never from addresses. */
final class InboundMetrics {

    private final AtomicInteger active = new AtomicInteger();
    private final Counter sessions;
    private final Counter accepted;
    private final Counter bytes;
    private final Map<Reason, Counter> rejectedMessages = new EnumMap<>(Reason.class);
    private final Map<Reason, Counter> rejections = new EnumMap<>(Reason.class);

    InboundMetrics(MeterRegistry registry) {
        registry.gauge("sts.relay.inbound.sessions.active", active);
        sessions = Counter.builder("sts.relay.inbound.sessions").description("SMTP sessions opened").register(registry);
        accepted = messages(registry, "accepted", Reason.NONE);
        bytes = Counter.builder("sts.relay.inbound.bytes").description("octets of accepted messages")
                .baseUnit("bytes").register(registry);
        for (Reason reason : Reason.values()) {
            rejectedMessages.put(reason, messages(registry, "rejected", reason));
            rejections.put(reason, Counter.builder("sts.relay.inbound.rejections")
                    .description("commands and connections refused").tag("reason", reason.tag()).register(registry));
        }
    }

    /** A session started. */
    void sessionOpened() {
        sessions.increment();
        active.incrementAndGet();
    }

    /** A session that was counted as opened ended. */
    void sessionClosed() {
        active.decrementAndGet();
    }

    /** A message was committed to the spool. */
    void messageAccepted(long size) {
        accepted.increment();
        bytes.increment(size);
    }

    /** A message was received (or its DATA attempted) and refused. */
    void messageRejected(Reason reason) {
        rejectedMessages.get(reason).increment();
    }

    /** A command or connection was refused for a reason worth watching (relay attempts, limits). */
    void rejection(Reason reason) {
        rejections.get(reason).increment();
    }

    private static Counter messages(MeterRegistry registry, String result, Reason reason) {
        return Counter.builder("sts.relay.inbound.messages").description("messages received")
                .tag("result", result).tag("reason", reason.tag()).register(registry);
    }
}
