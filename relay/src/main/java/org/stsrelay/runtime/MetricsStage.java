package org.stsrelay.runtime;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.stsrelay.config.MetricsConfig;
import org.stsrelay.metrics.MetricsServer;
import org.stsrelay.metrics.ReportsPage;
import org.stsrelay.support.Transports;

/**
 * The {@code /metrics}, {@code /healthz} and {@code /readyz} listener, on an event loop of its own so that a slow
 * scrape never delays an SMTP session and a busy SMTP loop never fails a health check.
 */
final class MetricsStage implements Stage {

    private final MetricsConfig config;
    private final PrometheusMeterRegistry registry;
    private final BooleanSupplier ready;
    private final Optional<ReportsPage> reports;
    private EventLoopGroup group;
    private MetricsServer server;

    MetricsStage(MetricsConfig config, PrometheusMeterRegistry registry, BooleanSupplier ready) {
        this(config, registry, ready, Optional.empty());
    }

    /** With {@code /reports} served by {@code reports}. */
    MetricsStage(
            MetricsConfig config,
            PrometheusMeterRegistry registry,
            BooleanSupplier ready,
            Optional<ReportsPage> reports) {
        this.config = config;
        this.registry = registry;
        this.ready = ready;
        this.reports = reports;
    }

    /** The registry every stage counts into, with the JVM and process meters bound. */
    static PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        return registry;
    }

    /** Binds the listener when {@code metrics.listen} is set. */
    @Override
    public void start() throws IOException {
        if (config.listen().isEmpty()) {
            return;
        }
        group = Transports.group(1, new DefaultThreadFactory("metrics-http", true));
        server = new MetricsServer(config.listen().get(), group, registry, ready, reports);
        server.start();
    }

    /** Where the listener is bound, if one is. */
    Optional<String> boundAddress() {
        return server == null ? Optional.empty() : Optional.of(String.valueOf(server.boundAddress()));
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
