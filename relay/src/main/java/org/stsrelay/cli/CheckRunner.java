package org.stsrelay.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.stsrelay.delivery.StartTlsProbe;
import org.stsrelay.policy.ParseResult;
import org.stsrelay.policy.PolicyDocument;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.policy.dns.MxRecord;
import org.stsrelay.policy.resolve.Diagnosis;
import org.stsrelay.policy.resolve.PolicyResolver;

/** Runs every step of {@code check} for one domain: policy, MX hosts, TLS-RPT, and optionally STARTTLS probes. */
final class CheckRunner {

    private final PolicyResolver resolver;
    private final DnsClient dns;
    private final Optional<StartTlsProbe> probe;
    private final int mxPort;
    private final Clock clock;

    /** {@code probe} empty: MX hosts are matched but not connected to. */
    CheckRunner(PolicyResolver resolver, DnsClient dns, Optional<StartTlsProbe> probe, int mxPort, Clock clock) {
        this.resolver = resolver;
        this.dns = dns;
        this.probe = probe;
        this.mxPort = mxPort;
        this.clock = clock;
    }

    /** Checks a normalised domain; the lookups run in parallel, the probes after them. */
    CompletionStage<CheckReport> check(String domain) {
        CompletableFuture<Diagnosis> diagnosis = resolver.diagnose(domain).toCompletableFuture()
                .thenApply(Optional::orElseThrow);
        CompletableFuture<DnsResult<MxRecord>> mx = guarded(dns.mx(domain));
        CompletableFuture<DnsResult<String>> tlsRpt = guarded(dns.txt("_smtp._tls." + domain));
        return CompletableFuture.allOf(diagnosis, mx, tlsRpt).thenCompose(all -> {
            Diagnosis d = diagnosis.join();
            List<CheckItem> items = new ArrayList<>(CheckPolicyItems.of(d, clock.instant()));
            CheckMxItems.Found hosts = CheckMxItems.of(domain, mx.join(), policy(d));
            items.addAll(hosts.items());
            items.addAll(CheckTlsRptItem.of(domain, tlsRpt.join()));
            if (probe.isEmpty()) {
                return CompletableFuture.completedFuture(new CheckReport(domain, items));
            }
            return probeAll(hosts.hosts()).thenApply(probed -> {
                items.addAll(probed);
                return new CheckReport(domain, items);
            });
        });
    }

    private static Optional<PolicyDocument> policy(Diagnosis diagnosis) {
        return diagnosis.parseResult().filter(ParseResult.Valid.class::isInstance)
                .map(valid -> ((ParseResult.Valid) valid).document());
    }

    private CompletableFuture<List<CheckItem>> probeAll(List<MxRecord> hosts) {
        List<CompletableFuture<CheckItem>> each = hosts.stream().map(mx -> probeOne(mx.host())).toList();
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(done -> each.stream().map(CompletableFuture::join).toList());
    }

    // The MX host is resolved by our DNS client, like delivery will: IPv4 first, then IPv6.
    private CompletableFuture<CheckItem> probeOne(String host) {
        CompletableFuture<DnsResult<InetAddress>> v4 = guarded(dns.a(host));
        CompletableFuture<DnsResult<InetAddress>> v6 = guarded(dns.aaaa(host));
        return v4.thenCombine(v6, (a, aaaa) -> {
            List<InetAddress> addresses = new ArrayList<>(a.valuesOrEmpty());
            addresses.addAll(aaaa.valuesOrEmpty());
            return addresses.isEmpty() ? Optional.<InetAddress>empty() : Optional.of(addresses.get(0));
        }).thenCompose(address -> {
            if (address.isEmpty()) {
                boolean failed = v4.join() instanceof DnsResult.Failure<InetAddress>;
                return CompletableFuture.completedFuture(CheckItem.of(
                        failed ? CheckVerdict.UNKNOWN : CheckVerdict.FAIL, "mx-tls",
                        host + ": no address to connect to (" + v4.join().describe() + ")"));
            }
            return probe.get().probe(host, new InetSocketAddress(address.get(), mxPort)).toCompletableFuture()
                    .thenApply(CheckMxItems::probe);
        });
    }

    private static <T> CompletableFuture<DnsResult<T>> guarded(CompletionStage<DnsResult<T>> lookup) {
        return lookup.toCompletableFuture().exceptionally(error -> new DnsResult.Failure<>(String.valueOf(error)));
    }
}
