package org.stsrelay.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.stsrelay.config.ClusterConfig;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.fleet.FleetDatabase;
import org.stsrelay.fleet.NodeHeartbeat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cluster status}: what the fleet database says about the nodes, their shipments and the policies. */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = "Inspect the fleet (several relays sharing policies and TLS-RPT through PostgreSQL).",
        subcommands = {ClusterCommand.Status.class})
final class ClusterCommand implements Runnable {

    /** Exit code when the fleet database cannot be reached or read (down, refused, wrong password, newer schema). */
    static final int EXIT_UNREACHABLE = 1;

    /** A node is silent after three missed heartbeats: one late beat is a pause, three are an outage. */
    static final Duration SILENT_AFTER = NodeHeartbeat.PERIOD.multipliedBy(3);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reads the fleet database once and prints what it holds; works from any host that can reach it. */
    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Show the fleet database, its nodes and their shipments, and the shared policies.")
    static final class Status implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;

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
            ClusterConfig cluster = cfg.cluster();
            if (cluster.database().isEmpty()) {
                out.println(json ? ClusterStatusView.singleNodeJson() : "single-node: cluster.database is not set");
                out.flush();
                return 0;
            }
            ClusterConfig.Database db = cluster.database().get();
            ClusterStatusView view = new ClusterStatusView(db.url(), SILENT_AFTER);
            try (FleetDatabase database = FleetDatabase.open(db, new SimpleMeterRegistry())) {
                ClusterSnapshot snapshot = database.callOrThrow(new ClusterStatusQuery());
                if (json) {
                    out.println(view.json(snapshot));
                } else {
                    view.printTable(snapshot, out);
                }
            } catch (SQLException unreachable) {
                String why = ClusterStatusView.describe(unreachable);
                if (json) {
                    out.println(view.unreachableJson(why));
                }
                err.println("sts-relay: cannot use the fleet database " + db.url() + ": " + why);
                err.flush();
                return EXIT_UNREACHABLE;
            }
            out.flush();
            return 0;
        }
    }
}
