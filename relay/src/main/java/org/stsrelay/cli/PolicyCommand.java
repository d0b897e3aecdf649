package org.stsrelay.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.control.ControlRequest;
import org.stsrelay.policy.DomainNames;
import org.stsrelay.policy.cache.PolicyStore;
import org.stsrelay.policy.cache.StoredPolicy;
import org.stsrelay.runtime.OfflinePolicies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code policy show|refresh|purge}: works on the policy store directly, and reaches a running relay too. */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = "Show, refresh or purge a domain's stored MTA-STS policy.",
        subcommands = {PolicyCommand.Show.class, PolicyCommand.Refresh.class, PolicyCommand.Purge.class})
final class PolicyCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The normalised domain, or null after saying why it is not one. */
    private static String domain(String text, PrintWriter err) {
        Optional<String> normal = DomainNames.normalize(text);
        if (normal.isEmpty()) {
            err.println("sts-relay: \"" + text + "\" is not a domain name");
        }
        return normal.orElse(null);
    }

    /** Prints the stored policy of a domain. */
    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Print a domain's stored policy: mode, id, max_age, mx patterns, times, policy text.")
    static final class Show implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--json", description = "Print a JSON object instead of text.")
        boolean json;

        @Parameters(paramLabel = "DOMAIN", description = "The policy domain, e.g. example.com.")
        String domain;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            RelayConfig cfg = config.loadOrReport(err);
            String name = cfg == null ? null : domain(domain, err);
            if (name == null) {
                return Main.EXIT_CONFIG;
            }
            Path directory = cfg.mtaSts().storeDirectory();
            Optional<StoredPolicy> stored =
                    Files.isDirectory(directory) ? PolicyStore.files(directory).load(name) : Optional.empty();
            Instant now = Clock.systemUTC().instant();
            if (json) {
                ObjectMapper mapper = new ObjectMapper();
                ObjectNode o = mapper.createObjectNode().put("domain", name);
                o.set(
                        "policy",
                        stored.isPresent() ? PolicyText.json(mapper, stored.get(), now) : NullNode.getInstance());
                out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(o));
            } else if (stored.isPresent()) {
                PolicyText.print(stored.get(), now, out);
            } else {
                out.println("no stored policy for " + name);
            }
            out.flush();
            return stored.isPresent() ? 0 : 1;
        }
    }

    /** Discovers and fetches a domain's policy now and stores it if valid. */
    @Command(
            name = "refresh",
            mixinStandardHelpOptions = true,
            description = {
                "Look up and fetch a domain's policy now; store it if it is valid.",
                "A failure never removes the stored policy (RFC 8461 §10.2).",
                "A running relay refreshes its copy within a second."
            })
    static final class Refresh implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Mixin
        WaitOption wait;

        @Parameters(paramLabel = "DOMAIN", description = "The policy domain, e.g. example.com.")
        String domain;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            RelayConfig cfg = config.loadOrReport(err);
            String name = cfg == null ? null : domain(domain, err);
            if (name == null) {
                return Main.EXIT_CONFIG;
            }
            boolean stored = PolicyText.print(name, OfflinePolicies.refresh(cfg, name), out);
            RelayRequests requests = new RelayRequests(cfg.spool().directory());
            ControlRequest request = new ControlRequest.RefreshPolicy(name);
            requests.submit(request);
            requests.report(List.of(request), wait, out);
            out.flush();
            return stored ? 0 : 1;
        }
    }

    /** Removes a domain's stored policy, and asks a running relay to drop its copy. */
    @Command(
            name = "purge",
            mixinStandardHelpOptions = true,
            description = {
                "Remove a domain's stored policy, e.g. one that went stale.",
                "A running relay drops its copy within a second."
            })
    static final class Purge implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Mixin
        WaitOption wait;

        @Parameters(paramLabel = "DOMAIN", description = "The policy domain, e.g. example.com.")
        String domain;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            RelayConfig cfg = config.loadOrReport(err);
            String name = cfg == null ? null : domain(domain, err);
            if (name == null) {
                return Main.EXIT_CONFIG;
            }
            Path directory = cfg.mtaSts().storeDirectory();
            boolean removed = PolicyStore.files(directory).delete(name);
            RelayRequests requests = new RelayRequests(cfg.spool().directory());
            ControlRequest request = new ControlRequest.PurgePolicy(name);
            requests.submit(request);
            out.println(removed ? name + ": stored policy removed" : "no stored policy for " + name);
            requests.report(List.of(request), wait, out);
            out.flush();
            return removed ? 0 : 1;
        }
    }
}
