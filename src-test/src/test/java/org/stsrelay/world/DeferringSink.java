package org.stsrelay.world;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * The receiving side of bench/deep-queue.sh, run with {@code java -cp}: a world of a few recipient
 * domains, each with an MTA-STS enforce policy and one TLS MX that answers every RCPT with
 * {@code 451 4.3.0}, so every message the relay is given stays in its queue. Writes into DIR:
 * {@code world.yaml} (the relay's dns/tls/mta-sts/delivery sections, with the retry delay given),
 * {@code world.env} (for the script: {@code DOMAINS}) and {@code sink.stats} (RCPTs deferred,
 * connections, TLS handshakes, summed over the MXs; rewritten every 200 ms).
 */
public final class DeferringSink {

    private static final Duration DNS_TTL = Duration.ofMinutes(5);
    private static final Duration QUEUE_LIFETIME = Duration.ofDays(5);

    private DeferringSink() {}

    /** {@code DeferringSink DIR DOMAINS RETRY_SECONDS}: runs until killed. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int domainCount = Integer.parseInt(args[1]);
        Duration retry = Duration.ofSeconds(Long.parseLong(args[2]));
        LocalWorld world = LocalWorld.start(dir, DNS_TTL);
        MxOptions deferring = MxOptions.tls(CertificateKind.GOOD).discarding().deferring();
        List<MxServer> mxs = new ArrayList<>();
        List<String> domains = new ArrayList<>();
        for (int i = 1; i <= domainCount; i++) {
            String domain = "deep" + i + ".test";
            String mx = "mx." + domain;
            mxs.add(world.mx(mx, deferring));
            world.routes(domain, mx);
            world.publishPolicy(domain, "1", "enforce", List.of(mx));
            domains.add(domain);
        }
        Files.writeString(
                dir.resolve("world.yaml"),
                world.relayYaml(dir.resolve("policies"), "published", retry, QUEUE_LIFETIME));
        Files.writeString(dir.resolve("world.env"), "DOMAINS=\"" + String.join(" ", domains) + "\"\n");
        while (true) {
            Path stats = dir.resolve("sink.stats.tmp");
            Files.writeString(
                    stats,
                    sum(mxs, MxServer::deferrals) + " " + sum(mxs, MxServer::connections) + " "
                            + sum(mxs, MxServer::handshakes) + "\n");
            Files.move(stats, dir.resolve("sink.stats"), StandardCopyOption.ATOMIC_MOVE);
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private static long sum(List<MxServer> servers, ToLongFunction<MxServer> count) {
        return servers.stream().mapToLong(count).sum();
    }
}
