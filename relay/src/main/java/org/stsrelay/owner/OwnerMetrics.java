package org.stsrelay.owner;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The owner site's meters: {@code sts.relay.owner.requests}, by kind ({@code policy}, {@code report},
 * {@code other}, {@code handshake}) and status (the HTTP status, or {@code unrecognized_name} for a refused
 * handshake). Domains are never tags.
 */
final class OwnerMetrics {

    static final String REQUESTS = "sts.relay.owner.requests";

    private final MeterRegistry registry;

    OwnerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts one answered request of {@code kind}. */
    void answered(String kind, int status) {
        count(kind, Integer.toString(status));
    }

    /** Counts one handshake refused for want of a certificate for the SNI name. */
    void handshakeRefused() {
        count("handshake", "unrecognized_name");
    }

    private void count(String kind, String status) {
        Counter.builder(REQUESTS)
                .description("owner site requests: policy fetches, report posts, others, refused handshakes")
                .tag("kind", kind)
                .tag("status", status)
                .register(registry)
                .increment();
    }
}
