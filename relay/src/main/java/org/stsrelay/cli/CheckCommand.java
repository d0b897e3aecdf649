package org.stsrelay.cli;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.delivery.StartTlsProbe;
import org.stsrelay.policy.DomainNames;
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

/** {@code check DOMAIN}: a full MTA-STS, DANE and TLS-RPT diagnosis of a domain, like the online checkers. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Diagnose a domain's MTA-STS, DANE and TLS-RPT set-up, like the online checkers:",
            "the _mta-sts TXT record, the policy fetch and its certificate, the policy,",
            "each MX host against the policy, the DNSSEC status of the MX, address and",
            "TLSA answers and each TLSA record, the _smtp._tls record; with --probe-mx,",
            "STARTTLS, the certificate and the TLSA match of every MX host. Nothing is stored."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no problems found", "1:problems found", "2:could not check (DNS, network, arguments)"})
final class CheckCommand implements Callable<Integer> {

    // RFC 5321 §4.5.3.2 allows servers minutes per reply; a diagnosis waits less and says it could not check.
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

    @Mixin
    ConfigOption config;

    @Option(names = "--json", description = "Print the findings as JSON.")
    boolean json;

    @Option(
            names = "--probe-mx",
            description = "Also connect to every MX host (port 25): STARTTLS, certificate, TLSA match.")
    boolean probeMx;

    @Option(names = "--mx-port", hidden = true, defaultValue = "25", description = "MX port to probe (for tests).")
    int mxPort;

    @Parameters(paramLabel = "DOMAIN", description = "The domain to check, e.g. example.com.")
    String domain;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RelayConfig cfg = config.loadOrReport(err);
        if (cfg == null) {
            return CheckReport.COULD_NOT_CHECK;
        }
        Optional<String> name = DomainNames.normalize(domain);
        if (name.isEmpty() || mxPort < 1 || mxPort > 65535) {
            err.println("sts-relay: "
                    + (name.isEmpty()
                            ? "\"" + domain + "\" is not a domain name"
                            : "--mx-port " + mxPort + " is not a port 1-65535"));
            return CheckReport.COULD_NOT_CHECK;
        }
        EventLoopGroup group = Transports.group(1, NamedThreads.nonDaemon("check-io"));
        try {
            CheckReport report =
                    runner(cfg, group).check(name.get()).toCompletableFuture().join();
            if (json) {
                CheckOutput.json(report, out);
            } else {
                CheckOutput.text(report, out);
            }
            out.flush();
            return report.exitCode();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private CheckRunner runner(RelayConfig cfg, EventLoopGroup group) {
        DnsClient dns = DnsClient.create(cfg.dns().settings());
        Clock clock = Clock.systemUTC();
        PolicyFetcher fetcher =
                PolicyFetcher.create(cfg.mtaSts().fetchSettings(cfg.tls().extraCertificates()), dns, group, clock);
        Optional<StartTlsProbe> probe = probeMx
                ? Optional.of(new StartTlsProbe(
                        group, TrustStores.pkix(cfg.tls().extraCertificates()), cfg.hostname(), PROBE_TIMEOUT, clock))
                : Optional.empty();
        return new CheckRunner(new PolicyResolver(dns, fetcher, clock), dns, probe, mxPort, clock);
    }
}
