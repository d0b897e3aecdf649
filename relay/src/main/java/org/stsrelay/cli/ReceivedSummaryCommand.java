package org.stsrelay.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.policy.DomainNames;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.fetch.PolicyFetcher;
import org.stsrelay.policy.resolve.PolicyResolver;
import org.stsrelay.received.DomainSummary;
import org.stsrelay.received.FileReceivedStore;
import org.stsrelay.received.OwnerSitePolicies;
import org.stsrelay.received.PublishedPolicies;
import org.stsrelay.received.ReceivedStore;
import org.stsrelay.received.ReceivedSummary;
import org.stsrelay.received.SummaryBuilder;
import org.stsrelay.received.SummaryJson;
import org.stsrelay.received.SummaryText;
import org.stsrelay.support.NamedThreads;
import org.stsrelay.support.Transports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code received summary}: what the received TLS-RPT reports say, per domain, and whether it is ready to enforce. */
@Command(
        name = "summary",
        mixinStandardHelpOptions = true,
        description = {
            "Sum up the received TLS-RPT reports per domain, UTC day and sending organisation:",
            "sessions, failures by result type, MX host and IP with reasons, senders still",
            "applying an older policy, and whether the domain is ready for MTA-STS enforce."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every domain shown is ready for enforce",
            "1:a domain is not ready, or there are no reports",
            "2:could not read (configuration, arguments, store)"
        })
final class ReceivedSummaryCommand implements Callable<Integer> {

    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(30);

    @Mixin
    ConfigOption config;

    @Option(names = "--domain", paramLabel = "D", description = "Only this domain.")
    String domain;

    @Option(
            names = "--days",
            paramLabel = "N",
            description = "UTC days to read, today included, 1-400 (default: received.ready-days).")
    Integer days;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** Opens the store of received reports in a directory; the real one is the file store. */
    @FunctionalInterface
    interface Stores {
        ReceivedStore open(Path directory) throws IOException;
    }

    private final Stores stores;
    private final Optional<PublishedPolicies> published;
    private final Clock clock;

    /** The command over the report files in {@code received.directory}. */
    ReceivedSummaryCommand() {
        this(FileReceivedStore::new);
    }

    /** The command over the store that {@code stores} opens at {@code received.directory}. */
    ReceivedSummaryCommand(Stores stores) {
        this(stores, Optional.empty(), Clock.systemUTC());
    }

    /** For tests: a given published-policy source and clock instead of DNS, HTTPS and the system clock. */
    ReceivedSummaryCommand(Stores stores, Optional<PublishedPolicies> published, Clock clock) {
        this.stores = stores;
        this.published = published;
        this.clock = clock;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        RelayConfig cfg = config.loadOrReport(err);
        if (cfg == null) {
            return Main.EXIT_CONFIG;
        }
        Optional<String> only = Optional.empty();
        if (domain != null) {
            only = DomainNames.normalize(domain);
            if (only.isEmpty()) {
                err.println("sts-relay: \"" + domain + "\" is not a domain name");
                return Main.EXIT_CONFIG;
            }
        }
        int window = days == null ? Math.min(cfg.received().readyDays(), SummaryBuilder.MAX_DAYS) : days;
        if (window < 1 || window > SummaryBuilder.MAX_DAYS) {
            err.println("sts-relay: --days " + window + " is not 1-" + SummaryBuilder.MAX_DAYS);
            return Main.EXIT_CONFIG;
        }
        if (published.isPresent()) {
            return summarise(cfg, published.get(), only, window);
        }
        EventLoopGroup group = Transports.group(1, NamedThreads.nonDaemon("received-io"));
        try {
            return summarise(cfg, policies(cfg, group), only, window);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private int summarise(RelayConfig cfg, PublishedPolicies policies, Optional<String> only, int window)
            throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        ReceivedSummary summary;
        try {
            ReceivedStore store = stores.open(cfg.received().directory());
            summary = new SummaryBuilder(cfg.received(), policies, clock).read(store, only, window);
        } catch (IOException e) {
            spec.commandLine().getErr().println("sts-relay: cannot read the received reports: " + e.getMessage());
            return Main.EXIT_CONFIG;
        }
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(SummaryJson.tree(mapper, summary)));
        } else {
            SummaryText.print(summary, out);
        }
        out.flush();
        boolean allReady = !summary.domains().isEmpty()
                && summary.domains().stream().map(DomainSummary::verdict).allMatch(v -> v.ready());
        return allReady ? 0 : 1;
    }

    // The same resolver as `check` and `policy refresh`: the configured DNS servers and trusted certificates.
    private static PublishedPolicies policies(RelayConfig cfg, EventLoopGroup group) {
        DnsClient dns = DnsClient.create(cfg.dns().settings());
        Clock clock = Clock.systemUTC();
        PolicyFetcher fetcher =
                PolicyFetcher.create(cfg.mtaSts().fetchSettings(cfg.tls().extraCertificates()), dns, group, clock);
        return new OwnerSitePolicies(
                cfg.ownerSite().domainsDirectory(), new PolicyResolver(dns, fetcher, clock), LOOKUP_TIMEOUT);
    }
}
