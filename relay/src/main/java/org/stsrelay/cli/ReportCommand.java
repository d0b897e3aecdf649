package org.stsrelay.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.control.ControlRequest;
import org.stsrelay.policy.DomainNames;
import org.stsrelay.tlsrpt.DomainResults;
import org.stsrelay.tlsrpt.FleetReportView;
import org.stsrelay.tlsrpt.ReportState;
import org.stsrelay.tlsrpt.TlsReportJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code report preview|status|send}: status and preview read the TLS result journal directly, whether or not the
 * relay runs, or in fleet mode the fleet database (every node's results); send asks the local relay.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Inspect the daily TLS-RPT (RFC 8460) reports.",
        subcommands = {ReportCommand.Preview.class, ReportCommand.Status.class, ReportCommand.Send.class})
final class ReportCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The day and configuration options both subcommands take. */
    static final class DayOption {
        @Option(
                names = "--day",
                paramLabel = "YYYY-MM-DD",
                description = "UTC day of the report (default: yesterday, UTC).")
        LocalDate day;

        /** The chosen day; by default yesterday in UTC, the day the next reports cover (RFC 8460 §4.1). */
        LocalDate dayOr(Clock clock) {
            return day != null
                    ? day
                    : LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(1);
        }
    }

    /** Prints the JSON report each policy domain would get for the day. */
    @Command(
            name = "preview",
            mixinStandardHelpOptions = true,
            description = "Print the report JSON of each policy domain with results on the day.")
    static final class Preview implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Mixin
        DayOption day;

        @Option(names = "--domain", paramLabel = "DOMAIN", description = "Only this policy domain.")
        String domain;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            RelayConfig cfg = config.loadOrReport(spec.commandLine().getErr());
            if (cfg == null) {
                return Main.EXIT_CONFIG;
            }
            PrintWriter out = spec.commandLine().getOut();
            TlsReportJson builder = new TlsReportJson(cfg.tlsrpt());
            ObjectMapper mapper = new ObjectMapper();
            try (ReportReader reader = ReportReader.open(cfg, spec.commandLine().getErr())) {
                for (DomainResults results : reader.results(day.dayOr(Clock.systemUTC()))) {
                    if (domain == null || domain.equalsIgnoreCase(results.policyDomain())) {
                        byte[] json = builder.build(results).json();
                        out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(json)));
                    }
                }
            }
            out.flush();
            return 0;
        }
    }

    /** Lists the day's policy domains with their session counts. */
    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "List the policy domains with results on the day and their session counts.")
    static final class Status implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Mixin
        DayOption day;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            RelayConfig cfg = config.loadOrReport(spec.commandLine().getErr());
            if (cfg == null) {
                return Main.EXIT_CONFIG;
            }
            PrintWriter out = spec.commandLine().getOut();
            LocalDate d = day.dayOr(Clock.systemUTC());
            ReportState state;
            try (ReportReader reader = ReportReader.open(cfg, spec.commandLine().getErr())) {
                List<DomainResults> domains = reader.results(d);
                Optional<List<FleetReportView.NodeResults>> nodes = reader.nodes(d);
                state = reader.state(d);
                out.printf("%-40s %12s %12s%n", "POLICY DOMAIN", "SUCCESSFUL", "FAILED");
                for (DomainResults results : domains) {
                    out.printf("%-40s %12d %12d%n", results.policyDomain(), results.successes(), results.failures());
                }
                nodes.ifPresent(list -> printNodes(out, list));
            }
            if (!state.domains().isEmpty()) {
                out.println();
                out.println("REPORTS");
            }
            state.domains().entrySet().stream()
                    .sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> {
                        out.printf(
                                "%s  report-id %s%n", e.getKey(), e.getValue().reportId());
                        e.getValue().destinations().entrySet().stream()
                                .sorted(java.util.Map.Entry.comparingByKey())
                                .forEach(dest -> out.printf(
                                        "  %-50s %-9s attempts %d%s%s%n",
                                        dest.getKey(),
                                        dest.getValue().status().name().toLowerCase(java.util.Locale.ROOT),
                                        dest.getValue().attempts(),
                                        dest.getValue()
                                                .nextTry()
                                                .map(t -> "  next " + t)
                                                .orElse(""),
                                        dest.getValue()
                                                .lastError()
                                                .map(m -> "  last error: " + m)
                                                .orElse("")));
                    });
            out.flush();
            return 0;
        }
    }

    /** Leaves a send request for the running relay (or its next start). */
    @Command(
            name = "send",
            mixinStandardHelpOptions = true,
            description = "Ask the relay to send the day's reports now (applied within seconds by a running relay).")
    static final class Send implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Mixin
        WaitOption wait;

        @Option(names = "--day", paramLabel = "YYYY-MM-DD", required = true, description = "UTC day of the reports.")
        LocalDate day;

        @Option(names = "--domain", paramLabel = "DOMAIN", description = "Only this policy domain.")
        String domain;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            RelayConfig cfg = config.loadOrReport(spec.commandLine().getErr());
            if (cfg == null) {
                return Main.EXIT_CONFIG;
            }
            Optional<String> only =
                    Optional.ofNullable(domain).map(DomainNames::normalize).orElse(Optional.empty());
            if (domain != null && only.isEmpty()) {
                spec.commandLine().getErr().println("sts-relay: \"" + domain + "\" is not a domain name");
                spec.commandLine().getErr().flush();
                return Main.EXIT_CONFIG;
            }
            RelayRequests requests = new RelayRequests(cfg.spool().directory());
            ControlRequest request = new ControlRequest.SendReports(day, only);
            requests.submit(request);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("sending the reports of %s for %s requested%n", day, only.orElse("all policy domains"));
            requests.report(List.of(request), wait, out);
            out.printf("See `report status --day %s`.%n", day);
            out.flush();
            return 0;
        }
    }

    /** Fleet mode: each node's results of the day and how far it has shipped. */
    private static void printNodes(PrintWriter out, List<FleetReportView.NodeResults> nodes) {
        out.println();
        out.printf("%-30s %12s  %-24s %s%n", "NODE", "RESULTS", "SHIPPED THROUGH", "LAST SHIPMENT");
        for (FleetReportView.NodeResults node : nodes) {
            out.printf(
                    "%-30s %12d  %-24s %s%n",
                    node.node(),
                    node.results(),
                    node.shippedThrough().map(Object::toString).orElse("never"),
                    node.lastShipment().map(Object::toString).orElse("never"));
        }
    }
}
