package org.stsrelay.cli;

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
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.inbound.SmtpServer;
import org.stsrelay.metrics.MetricsServer;
import org.stsrelay.spool.FileSpool;

/** The running relay: the stages built from the configuration, started in order and stopped in reverse. */
final class Relay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Relay.class);

    private final PrometheusMeterRegistry registry;
    private final EventLoopGroup group;
    private final FileSpool spool;
    private final SmtpServer smtp;
    private final MetricsServer metrics;
    private final PolicyStage policies;
    private final DeliveryStage delivery;

    private Relay(PrometheusMeterRegistry registry, EventLoopGroup group, FileSpool spool, SmtpServer smtp,
                  MetricsServer metrics, PolicyStage policies, DeliveryStage delivery) {
        this.registry = registry;
        this.group = group;
        this.spool = spool;
        this.smtp = smtp;
        this.metrics = metrics;
        this.policies = policies;
        this.delivery = delivery;
    }

    /**
     * Opens the spool (recovering it), loads the stored MTA-STS policies, starts delivering what the spool
     * holds, then starts the SMTP and metrics listeners.
     */
    static Relay start(RelayConfig config, Clock clock) throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        bindProcessMetrics(registry);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        FileSpool spool = null;
        SmtpServer smtp = null;
        MetricsServer metrics = null;
        PolicyStage policies = null;
        DeliveryStage delivery = null;
        try {
            spool = FileSpool.open(config.spool(), registry, clock);
            log.info("spool {} holds {} message(s)", config.spool().directory().toAbsolutePath(), spool.size());
            policies = PolicyStage.open(config, group, registry, clock);
            policies.start();
            delivery = DeliveryStage.open(config, policies, spool, group, registry, clock);
            delivery.start();
            smtp = new SmtpServer(config.hostname(), config.inbound(), spool, group, registry, clock);
            smtp.start();
            if (config.metrics().listen().isPresent()) {
                FileSpool s = spool;
                SmtpServer m = smtp;
                metrics = new MetricsServer(config.metrics().listen().get(), group, registry,
                        () -> s.isWritable() && m.isListening());
                metrics.start();
            }
            log.info("sts-relay {} ready: SMTP on {}, metrics on {}", config.hostname(), smtp.boundAddresses(),
                    metrics == null ? "(off)" : metrics.boundAddress());
            return new Relay(registry, group, spool, smtp, metrics, policies, delivery);
        } catch (IOException | RuntimeException e) {
            new Relay(registry, group, spool, smtp, metrics, policies, delivery).close();
            throw e;
        }
    }

    private static void bindProcessMetrics(PrometheusMeterRegistry registry) {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** Stops accepting, lets in-flight transactions finish, then closes the spool. */
    @Override
    public void close() {
        if (smtp != null) {
            smtp.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (delivery != null) {
            delivery.close();
        }
        if (policies != null) {
            policies.close();
        }
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        if (spool != null) {
            try {
                spool.close();
            } catch (IOException e) {
                log.error("spool did not close cleanly: {}", e.getMessage());
            }
        }
        registry.close();
    }
}
