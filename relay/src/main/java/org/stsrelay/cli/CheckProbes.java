package org.stsrelay.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.stsrelay.delivery.StartTlsProbe;
import org.stsrelay.delivery.StartTlsProbeResult;
import org.stsrelay.policy.Mode;
import org.stsrelay.policy.PolicyDocument;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.policy.dns.MxRecord;

/** The {@code check --probe-mx} step: one STARTTLS probe per MX host, judged by PKIX and, where it applies, DANE. */
final class CheckProbes {

    private final DnsClient dns;
    private final StartTlsProbe probe;
    private final CheckDaneProbe dane;
    private final int mxPort;

    CheckProbes(DnsClient dns, StartTlsProbe probe, CheckDaneProbe dane, int mxPort) {
        this.dns = dns;
        this.probe = probe;
        this.dane = dane;
        this.mxPort = mxPort;
    }

    /** Probes every host in parallel; the items come back in the hosts' order. */
    CompletableFuture<List<CheckItem>> items(
            List<MxRecord> hosts, CheckDaneFindings findings, Optional<PolicyDocument> policy) {
        List<CompletableFuture<List<CheckItem>>> each = hosts.stream()
                .map(mx -> probeOne(mx.host(), daneHost(findings, mx.host()), policy))
                .toList();
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(done ->
                        each.stream().flatMap(items -> items.join().stream()).toList());
    }

    private static Optional<CheckDaneFindings.Host> daneHost(CheckDaneFindings findings, String host) {
        return findings.hosts().stream().filter(h -> h.host().equals(host)).findFirst();
    }

    // The MX host is resolved by our DNS client, like delivery will: IPv4 first, then IPv6.
    private CompletableFuture<List<CheckItem>> probeOne(
            String host, Optional<CheckDaneFindings.Host> daneHost, Optional<PolicyDocument> policy) {
        CompletableFuture<DnsResult<InetAddress>> v4 = guarded(dns.a(host));
        CompletableFuture<DnsResult<InetAddress>> v6 = guarded(dns.aaaa(host));
        return v4.thenCombine(v6, (a, aaaa) -> {
                    List<InetAddress> addresses = new ArrayList<>(a.valuesOrEmpty());
                    addresses.addAll(aaaa.valuesOrEmpty());
                    return addresses.isEmpty() ? Optional.<InetAddress>empty() : Optional.of(addresses.get(0));
                })
                .thenCompose(address -> {
                    if (address.isEmpty()) {
                        boolean failed = v4.join() instanceof DnsResult.Failure<InetAddress>;
                        return CompletableFuture.completedFuture(List.of(CheckItem.of(
                                failed ? CheckVerdict.UNKNOWN : CheckVerdict.FAIL,
                                "mx-tls",
                                host + ": no address to connect to ("
                                        + v4.join().describe() + ")")));
                    }
                    // RFC 7672 §8.1: for a host with TLSA records the SNI name is the TLSA base domain.
                    String sni = daneHost.map(CheckDaneFindings.Host::tlsaBase).orElse(host);
                    return probe.probe(host, sni, new InetSocketAddress(address.get(), mxPort))
                            .toCompletableFuture()
                            .thenApply(result -> judge(result, daneHost, policy));
                });
    }

    private List<CheckItem> judge(
            StartTlsProbeResult result, Optional<CheckDaneFindings.Host> daneHost, Optional<PolicyDocument> policy) {
        CheckDaneProbe.Outcome outcome =
                daneHost.map(h -> dane.judge(h, result)).orElse(new CheckDaneProbe.Outcome(List.of(), false));
        List<CheckItem> items = new ArrayList<>();
        boolean enforced = policy.map(p -> p.mode() == Mode.ENFORCE).orElse(false);
        items.add(
                outcome.authenticated() && !result.validated()
                        ? CheckMxItems.pkixBesideDane(result, enforced)
                        : CheckMxItems.probe(result));
        items.addAll(outcome.items());
        return items;
    }

    private static <T> CompletableFuture<DnsResult<T>> guarded(CompletionStage<DnsResult<T>> lookup) {
        return lookup.toCompletableFuture().exceptionally(error -> new DnsResult.Failure<>(String.valueOf(error)));
    }
}
