package org.stsrelay.cli;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.delivery.MxHostProbe;
import org.stsrelay.delivery.StartTlsProbe;
import org.stsrelay.plan.DomainPlanner;
import org.stsrelay.plan.Plan;
import org.stsrelay.plan.PlanJson;
import org.stsrelay.plan.PlanOptions;
import org.stsrelay.plan.PlanRequest;
import org.stsrelay.plan.PlanText;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.fetch.PolicyFetcher;
import org.stsrelay.policy.resolve.PolicyResolver;
import org.stsrelay.support.NamedThreads;
import org.stsrelay.support.Transports;
import org.stsrelay.support.TrustStores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code domain plan DOMAIN}: the records and policy file to publish for one of your own domains, and the steps. */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        description = {
            "Print the _smtp._tls record, the MTA-STS policy file and the _mta-sts record to publish for one of",
            "your own domains, from what it publishes now, with the steps from testing to enforce.",
            "Before --mode enforce every MX host is probed on port 25, as check --probe-mx does. Nothing is changed."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:plan printed",
            "1:plan printed, with warnings",
            "2:bad option or configuration",
            "3:internal error: the generated output does not parse"
        })
final class DomainPlanCommand implements Callable<Integer> {

    static final int WARNINGS = 1;
    static final int INTERNAL_ERROR = 3;

    // As check: RFC 5321 §4.5.3.2 allows servers minutes per reply; a plan waits less and says it could not check.
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

    @Mixin
    ConfigOption config;

    @Option(names = "--mode", paramLabel = "MODE", description = "testing (default), enforce or none.")
    String mode;

    @Option(
            names = "--mx",
            paramLabel = "PATTERN",
            description = "An mx pattern (host or *.domain); repeat for more. Default: the current policy's, "
                    + "else the MX host names.")
    List<String> mx;

    @Option(
            names = "--max-age",
            paramLabel = "DURATION",
            description = "max_age: seconds or 1d, 2w, ... (default 1d; an enforce policy served now keeps its own).")
    String maxAge;

    @Option(
            names = "--rua",
            paramLabel = "URI",
            description = "A TLS-RPT mailto: or https: URI; repeat for more. Default: the current record's, "
                    + "else mailto:tlsrpt@DOMAIN.")
    List<String> rua;

    @Option(names = "--json", description = "Print the plan as JSON.")
    boolean json;

    @Option(names = "--mx-port", hidden = true, defaultValue = "25", description = "MX port to probe (for tests).")
    int mxPort;

    @Parameters(paramLabel = "DOMAIN", description = "Your domain, e.g. example.com.")
    String domain;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RelayConfig cfg = config.loadOrReport(err);
        if (cfg == null) {
            return Main.EXIT_CONFIG;
        }
        PlanRequest.OwnerSite site = new PlanRequest.OwnerSite(
                cfg.ownerSite().domainsDirectory(), cfg.ownerSite().enabled());
        PlanOptions.Result options = PlanOptions.validate(new PlanOptions.Typed(domain, mode, mx, maxAge, rua), site);
        if (options instanceof PlanOptions.Result.Invalid invalid) {
            err.println("sts-relay: " + invalid.message());
            return Main.EXIT_CONFIG;
        }
        if (mxPort < 1 || mxPort > 65535) {
            err.println("sts-relay: --mx-port " + mxPort + " is not a port 1-65535");
            return Main.EXIT_CONFIG;
        }
        EventLoopGroup group = Transports.group(1, NamedThreads.nonDaemon("plan-io"));
        try {
            DomainPlanner.Outcome outcome = planner(cfg, group)
                    .plan(((PlanOptions.Result.Valid) options).request())
                    .toCompletableFuture()
                    .join();
            return print(outcome, out, err);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private int print(DomainPlanner.Outcome outcome, PrintWriter out, PrintWriter err) throws IOException {
        if (outcome instanceof DomainPlanner.Outcome.Refused refused) {
            err.println("sts-relay: " + refused.message());
            return Main.EXIT_CONFIG;
        }
        if (outcome instanceof DomainPlanner.Outcome.InternalError internal) {
            err.println("sts-relay: internal error: " + internal.message());
            return INTERNAL_ERROR;
        }
        Plan plan = ((DomainPlanner.Outcome.Planned) outcome).plan();
        int exit = plan.warnings().isEmpty() ? 0 : WARNINGS;
        if (json) {
            PlanJson.print(plan, exit, out);
        } else {
            PlanText.print(plan, out);
        }
        out.flush();
        return exit;
    }

    private DomainPlanner planner(RelayConfig cfg, EventLoopGroup group) {
        DnsClient dns = DnsClient.create(cfg.dns().settings());
        Clock clock = Clock.systemUTC();
        PolicyFetcher fetcher =
                PolicyFetcher.create(cfg.mtaSts().fetchSettings(cfg.tls().extraCertificates()), dns, group, clock);
        StartTlsProbe probe = new StartTlsProbe(
                group, TrustStores.pkix(cfg.tls().extraCertificates()), cfg.hostname(), PROBE_TIMEOUT, clock);
        return new DomainPlanner(
                new PolicyResolver(dns, fetcher, clock), dns, Optional.of(new MxHostProbe(dns, probe, mxPort)), clock);
    }
}
