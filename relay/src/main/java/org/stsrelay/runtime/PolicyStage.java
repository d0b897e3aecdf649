package org.stsrelay.runtime;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.control.ControlRequest;
import org.stsrelay.control.RequestHandler;
import org.stsrelay.policy.PolicySource;
import org.stsrelay.policy.cache.FetchCoordinator;
import org.stsrelay.policy.cache.PolicyAdmin;
import org.stsrelay.policy.cache.PolicyCache;
import org.stsrelay.policy.cache.PolicyStore;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.dns.DnssecSettings;
import org.stsrelay.policy.fetch.FetchSettings;
import org.stsrelay.policy.fetch.PolicyFetcher;
import org.stsrelay.policy.resolve.PolicyResolver;
import org.stsrelay.support.NamedThreads;

/** The DNS client and the MTA-STS policy cache, with its store, I/O threads and maintenance. */
final class PolicyStage implements Stage {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyStage.class);
    /** How often near-expiry policies are refreshed in the background (policy-cache README). */
    static final Duration MAINTENANCE_PERIOD = Duration.ofMinutes(1);
    /** How often the resolvers are checked to deliver validatable DNSSEC data. */
    static final Duration DNSSEC_CHECK_PERIOD = DnssecSettings.DEFAULTS.checkPeriod();

    private final RelayConfig config;
    private final EventLoopStage loops;
    private final RequestKinds control;
    private final MeterRegistry registry;
    private final Clock clock;
    private final FleetStage fleet;
    private DnsClient dns;
    private SharedPolicies shared;
    private PolicyCache cache;
    private ExecutorService io;
    private ScheduledExecutorService scheduler;

    PolicyStage(
            RelayConfig config,
            EventLoopStage loops,
            RequestKinds control,
            MeterRegistry registry,
            Clock clock,
            FleetStage fleet) {
        this.config = config;
        this.fleet = fleet;
        this.loops = loops;
        this.control = control;
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * Loads every stored policy before the first delivery (RFC 8461 §10.2), starts background refreshes on one
     * daemon thread, and takes {@code policy purge|refresh} requests.
     */
    @Override
    public void start() throws IOException {
        build();
        int loaded = shared == null ? cache.warmUp().toCompletableFuture().join() : shared.start(cache, fleet.sync());
        LOG.info("MTA-STS: {} stored polic{} loaded", loaded, loaded == 1 ? "y" : "ies");
        scheduler = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("policy-maintenance"));
        // RFC 7672 §2.1.1: DANE needs validatable DNSSEC data; the check runs now and every few minutes, and
        // its outcome is logged, never fatal (without DNSSEC the relay still enforces MTA-STS).
        dns.scheduleDnssecChecks(scheduler, DNSSEC_CHECK_PERIOD);
        cache.scheduleMaintenance(scheduler, MAINTENANCE_PERIOD);
        control.register(ControlRequest.PurgePolicy.class, pending -> {
            String domain = ((ControlRequest.PurgePolicy) pending.request()).domain();
            return applied("purge", domain, cache.purge(domain));
        });
        control.register(ControlRequest.RefreshPolicy.class, pending -> {
            String domain = ((ControlRequest.RefreshPolicy) pending.request()).domain();
            return applied("refresh", domain, cache.refresh(domain));
        });
    }

    private static CompletionStage<RequestHandler.Outcome> applied(
            String action, String domain, CompletionStage<?> done) {
        return done.thenApply(outcome -> {
            LOG.info("policy {} of {} requested by an operator: done", action, domain);
            return RequestHandler.Outcome.APPLIED;
        });
    }

    /**
     * Builds DNS client, fetcher, resolver, store and cache, without loading or scheduling anything; in fleet mode
     * the store is shared through the fleet database, with one fetch per domain in the fleet.
     */
    void build() throws IOException {
        dns = DnsClient.create(config.dns().settings(), registry, Ticker.systemTicker());
        FetchSettings fetchSettings = config.mtaSts().fetchSettings(config.tls().extraCertificates());
        PolicyFetcher fetcher = PolicyFetcher.create(fetchSettings, dns, loops.group(), clock);
        PolicyStore store = PolicyStore.files(config.mtaSts().storeDirectory());
        FetchCoordinator coordinator = FetchCoordinator.alone();
        if (fleet.database().isPresent()) {
            shared = new SharedPolicies(fleet.database().get(), store, fetchSettings.totalTimeout(), registry, clock);
            store = shared.store();
            coordinator = shared.coordinator();
        }
        io = Executors.newFixedThreadPool(2, NamedThreads.daemon("policy-io"));
        cache = PolicyCache.builder()
                .resolver(new PolicyResolver(dns, fetcher, clock))
                .fetchCoordinator(coordinator)
                .store(store)
                .settings(config.mtaSts().cacheSettings())
                .clock(clock)
                .executor(io)
                .meterRegistry(registry)
                .build();
    }

    /** The DNS client, shared with delivery's MX lookups and the TLS-RPT record lookups. */
    DnsClient dns() {
        return dns;
    }

    /** What delivery asks for a domain's policy. */
    PolicySource source() {
        return cache;
    }

    /** What {@code policy refresh|purge} requests act on. */
    PolicyAdmin admin() {
        return cache;
    }

    /** Stops maintenance and the store's I/O threads. */
    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (shared != null) {
            shared.close();
        }
        if (io == null) {
            return;
        }
        io.shutdown();
        try {
            // A refresh being stored ends before close returns: nothing writes the store after it.
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
}
