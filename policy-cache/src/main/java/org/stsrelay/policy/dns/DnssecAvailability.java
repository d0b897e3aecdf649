package org.stsrelay.policy.dns;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Whether the resolvers deliver validatable DNSSEC data, checked by validating the anchor zone's DNSKEY RRset. */
final class DnssecAvailability {

    private static final Logger LOG = LoggerFactory.getLogger(DnssecAvailability.class);

    private final Supplier<CompletionStage<Secured<?>>> probe;
    private final Runnable onChange;
    private final AtomicReference<DnssecStatus> status;
    private final AtomicReference<CompletableFuture<DnssecStatus>> firstCheck = new AtomicReference<>();
    private final AtomicBoolean reported = new AtomicBoolean();

    DnssecAvailability(
            DnssecMode mode, Supplier<CompletionStage<Secured<?>>> probe, Runnable onChange, MeterRegistry registry) {
        this.probe = probe;
        this.onChange = onChange;
        this.status = new AtomicReference<>(
                new DnssecStatus(mode, false, mode == DnssecMode.OFF ? "dns.dnssec is off" : "not checked yet"));
        Gauge.builder("sts.relay.dns.dnssec.available", status, s -> s.get().available() ? 1 : 0)
                .tag("mode", mode.name().toLowerCase(Locale.ROOT))
                .description("1 while the resolvers deliver validatable DNSSEC data, else 0 (DANE not applied)")
                .register(registry);
    }

    DnssecStatus status() {
        return status.get();
    }

    boolean available() {
        return status.get().available();
    }

    /**
     * Completes once the first check has: an answer classified before it would be insecure for no reason other
     * than start-up, a window in which DANE would silently not apply. Starts that check if nobody has.
     */
    CompletionStage<DnssecStatus> ready() {
        CompletableFuture<DnssecStatus> first = firstCheck.get();
        return first != null ? first : check();
    }

    /** Probes once and records the outcome; completes with the new status. */
    CompletionStage<DnssecStatus> check() {
        DnssecMode mode = status.get().mode();
        if (mode == DnssecMode.OFF) {
            return CompletableFuture.completedFuture(status.get());
        }
        CompletableFuture<DnssecStatus> outcome = probe.get()
                .thenApply(secured -> {
                    boolean ok =
                            secured.security() == Security.SECURE && secured.answer() instanceof DnsResult.Records<?>;
                    String reason = ok
                            ? "anchor zone DNSKEY validated"
                            : "anchor zone DNSKEY is " + secured.security() + ": " + secured.reason();
                    return record(new DnssecStatus(mode, ok, reason));
                })
                .toCompletableFuture();
        firstCheck.compareAndSet(null, outcome);
        return outcome;
    }

    private DnssecStatus record(DnssecStatus next) {
        DnssecStatus previous = status.getAndSet(next);
        boolean first = reported.compareAndSet(false, true);
        if (first || previous.available() != next.available()) {
            if (next.available()) {
                LOG.info("DNSSEC available: {}", next.reason());
            } else {
                // Without validatable data no answer can be secure, so DANE is not applied (RFC 7672 §2.1.1).
                LOG.warn(
                        "DNSSEC UNAVAILABLE: the resolvers do not deliver validatable DNSSEC data ({}); every "
                                + "answer is treated as insecure, DANE is not applied, MTA-STS still is",
                        next.reason());
            }
            onChange.run();
        }
        return next;
    }
}
