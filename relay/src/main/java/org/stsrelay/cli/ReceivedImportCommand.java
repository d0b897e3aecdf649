package org.stsrelay.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.received.DkimKeys;
import org.stsrelay.received.DkimVerification;
import org.stsrelay.received.DnsDkimKeys;
import org.stsrelay.received.FileReceivedStore;
import org.stsrelay.received.ReceivedReports;
import org.stsrelay.received.ReportImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code received import FILE|DIR|MBOX|MAILDIR...}: stores the reports found in files and mail into the received
 * directory, one line per report, then a summary; exits 1 if any was refused.
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = "Import received TLS-RPT reports: .json, .json.gz or .gz files, messages (.eml), mboxes,"
                + " Maildirs, and directories of these. The DKIM signature of mailed reports is checked through"
                + " the configured DNS.")
final class ReceivedImportCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Report files, messages, mboxes or directories.")
    List<Path> paths;

    @Spec
    CommandSpec spec;

    /** Where DKIM keys come from; the relay's DNS unless a test serves its own. */
    private final Function<RelayConfig, DkimKeys> keys;

    ReceivedImportCommand() {
        this(cfg -> new DnsDkimKeys(DnsClient.create(cfg.dns().settings())));
    }

    ReceivedImportCommand(Function<RelayConfig, DkimKeys> keys) {
        this.keys = keys;
    }

    @Override
    public Integer call() {
        RelayConfig cfg = config.loadOrReport(spec.commandLine().getErr());
        if (cfg == null) {
            return Main.EXIT_CONFIG;
        }
        ReceivedReports intake = new ReceivedReports(
                cfg.received(),
                new FileReceivedStore(cfg.received().directory()),
                Clock.systemUTC(),
                new SimpleMeterRegistry());
        ReportImporter importer = new ReportImporter(
                intake,
                new DkimVerification(new LazyKeys(() -> keys.apply(cfg))),
                cfg.received().maxReportSize());
        PrintWriter out = spec.commandLine().getOut();
        Tally tally = new Tally();
        for (Path path : paths) {
            importer.importPath(path, line -> {
                out.println(line);
                out.flush();
                tally.count(line);
            });
        }
        out.println(tally);
        out.flush();
        return tally.refused == 0 ? 0 : 1;
    }

    /** The counts of the summary line. */
    private static final class Tally {
        int stored;
        int duplicate;
        int refused;

        void count(ReportImporter.Line line) {
            if (line.refused()) {
                refused++;
            } else if (line.outcome().equals("duplicate")) {
                duplicate++;
            } else {
                stored++;
            }
        }

        @Override
        public String toString() {
            return stored + " stored, " + duplicate + " duplicate, " + refused + " refused";
        }
    }

    /** Creates the DNS client only when a signed message needs a key, so importing files needs no resolver. */
    private static final class LazyKeys implements DkimKeys {
        private final Supplier<DkimKeys> factory;
        private DkimKeys keys;

        LazyKeys(Supplier<DkimKeys> factory) {
            this.factory = factory;
        }

        @Override
        public Lookup lookup(String selector, String domain) {
            if (keys == null) {
                keys = factory.get();
            }
            return keys.lookup(selector, domain);
        }
    }
}
