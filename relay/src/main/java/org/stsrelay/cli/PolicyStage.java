package org.stsrelay.cli;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.policy.PolicySource;
import org.stsrelay.policy.cache.PolicyAdmin;
import org.stsrelay.policy.cache.PolicyCache;
import org.stsrelay.policy.cache.PolicyStore;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.dns.DnssecSettings;
import org.stsrelay.policy.fetch.PolicyFetcher;
import org.stsrelay.policy.resolve.PolicyResolver;

/** The MTA-STS policy cache built from the configuration, with its store, I/O threads and maintenance. */
final class PolicyStage implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyStage.class);
    /** How often near-expiry policies are refreshed in the background (policy-cache README). */
    static final Duration MAINTENANCE_PERIOD = Duration.ofMinutes(1);
    /** How often the resolvers are checked to deliver validatable DNSSEC data. */
    static final Duration DNSSEC_CHECK_PERIOD = DnssecSettings.DEFAULTS.checkPeriod();
    /** How soon a running relay applies {@code policy purge|refresh} requests. */
    static final Duration CONTROL_PERIOD = Duration.ofSeconds(5);

    private final PolicyCache cache;
    private final PolicyControl control;
    private final ExecutorService io;
    private final DnsClient dns;
    private ScheduledExecutorService scheduler;

    private PolicyStage(DnsClient dns, PolicyCache cache, PolicyControl control, ExecutorService io) {
        this.dns = dns;
        this.cache = cache;
        this.control = control;
        this.io = io;
    }

    /** Builds DNS client, fetcher (on {@code group}), resolver, file store and cache; nothing runs yet. */
    static PolicyStage open(RelayConfig config, EventLoopGroup group, MeterRegistry registry, Clock clock)
            throws IOException {
        DnsClient dns = DnsClient.create(config.dns().settings(), registry, Ticker.systemTicker());
        PolicyFetcher fetcher = PolicyFetcher.create(
                config.mtaSts().fetchSettings(config.tls().extraCertificates()), dns, group, clock);
        PolicyStore store = PolicyStore.files(config.mtaSts().storeDirectory());
        ExecutorService io = Executors.newFixedThreadPool(2, daemon("policy-io"));
        PolicyCache cache = PolicyCache.builder()
                .resolver(new PolicyResolver(dns, fetcher, clock))
                .store(store)
                .settings(config.mtaSts().cacheSettings())
                .clock(clock)
                .executor(io)
                .meterRegistry(registry)
                .build();
        return new PolicyStage(dns, cache, new PolicyControl(config.mtaSts().storeDirectory()), io);
    }

    /** The DNS client, shared with delivery's MX lookups. */
    DnsClient dns() {
        return dns;
    }

    /** What delivery asks for a domain's policy. */
    PolicySource source() {
        return cache;
    }

    /** What {@code policy refresh|purge} act on. */
    PolicyAdmin admin() {
        return cache;
    }

    /**
     * Loads every stored policy before the first delivery (RFC 8461 §10.2), then starts background refreshes and
     * the polling of operator requests on one daemon thread.
     */
    void start() {
        int loaded = cache.warmUp().toCompletableFuture().join();
        LOG.info("MTA-STS: {} stored polic{} loaded", loaded, loaded == 1 ? "y" : "ies");
        scheduler = Executors.newSingleThreadScheduledExecutor(daemon("policy-maintenance"));
        // RFC 7672 §2.1.1: DANE needs validatable DNSSEC data; the check runs now and every few minutes, and
        // its outcome is logged, never fatal (without DNSSEC the relay still enforces MTA-STS).
        dns.scheduleDnssecChecks(scheduler, DNSSEC_CHECK_PERIOD);
        cache.scheduleMaintenance(scheduler, MAINTENANCE_PERIOD);
        scheduler.scheduleWithFixedDelay(this::applyRequests, CONTROL_PERIOD.toMillis(), CONTROL_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    // A task that throws is never run again by the scheduler, so one bad tick must not end the polling.
    private void applyRequests() {
        try {
            control.applyPending(cache);
        } catch (RuntimeException unexpected) {
            LOG.error("applying policy requests failed", unexpected);
        }
    }

    /** Stops maintenance and the store's I/O threads. */
    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        io.shutdown();
        try {
            // A request being applied ends before close returns: nothing reads the store after it.
            if (scheduler != null) {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            }
            if (!io.awaitTermination(5, TimeUnit.SECONDS)) {
                io.shutdownNow();
            }
        } catch (InterruptedException interrupted) {
            io.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
