package org.stsrelay.inbound;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Every inbound meter, defined in one place; tags come from {@link Reason}, never from addresses. */
final class InboundMetrics {

    // Reasons a whole message is refused for, and reasons a command or connection is; each gets a
    // series from the start so rate() works from zero, other combinations appear when first used.
    private static final Set<Reason> MESSAGE_REASONS = EnumSet.of(
            Reason.TOO_BIG,
            Reason.LINE_TOO_LONG,
            Reason.BARE_LF,
            Reason.BARE_CR,
            Reason.NUL,
            Reason.LOOP,
            Reason.SPOOL_ERROR);
    private static final Set<Reason> SESSION_REASONS = EnumSet.of(
            Reason.RELAY_DENIED,
            Reason.TOO_MANY_RECIPIENTS,
            Reason.CONNECTION_LIMIT,
            Reason.TIMEOUT,
            Reason.DATA_TOO_SLOW,
            Reason.TOO_MANY_ERRORS,
            Reason.AUTH_FAILED,
            Reason.AUTH_THROTTLED,
            Reason.STARTTLS_INJECTION);

    private final MeterRegistry registry;
    private final AtomicInteger active = new AtomicInteger();
    private final Timer dataReply;
    private final Counter sessions;
    private final Counter accepted;
    private final Counter bytes;
    private final Map<Reason, Counter> rejectedMessages = new ConcurrentHashMap<>();
    private final Map<Reason, Counter> rejections = new ConcurrentHashMap<>();

    InboundMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("sts.relay.inbound.sessions.active", active);
        sessions = Counter.builder("sts.relay.inbound.sessions")
                .description("SMTP sessions opened")
                .register(registry);
        accepted = messages(registry, "accepted", Reason.NONE);
        bytes = Counter.builder("sts.relay.inbound.bytes")
                .description("octets of accepted messages")
                .baseUnit("bytes")
                .register(registry);
        dataReply = Timer.builder("sts.relay.inbound.data.reply")
                .description("time from the end of DATA to the final reply (spool write and fsync included)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        MESSAGE_REASONS.forEach(reason -> rejectedMessages.put(reason, messages(registry, "rejected", reason)));
        SESSION_REASONS.forEach(reason -> rejections.put(reason, rejectionCounter(reason)));
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
        rejectedMessages
                .computeIfAbsent(reason, r -> messages(registry, "rejected", r))
                .increment();
    }

    /** A command or connection was refused for a reason worth watching (relay attempts, limits). */
    void rejection(Reason reason) {
        rejections.computeIfAbsent(reason, this::rejectionCounter).increment();
    }

    /** Starts timing the wait between the end of DATA and the final reply. */
    Timer.Sample dataEnded() {
        return Timer.start(registry);
    }

    /** The final reply to DATA was sent. */
    void dataReplied(Timer.Sample sample) {
        sample.stop(dataReply);
    }

    private Counter rejectionCounter(Reason reason) {
        return Counter.builder("sts.relay.inbound.rejections")
                .description("commands and connections refused")
                .tag("reason", reason.tag())
                .register(registry);
    }

    private static Counter messages(MeterRegistry registry, String result, Reason reason) {
        return Counter.builder("sts.relay.inbound.messages")
                .description("messages received")
                .tag("result", result)
                .tag("reason", reason.tag())
                .register(registry);
    }
}
