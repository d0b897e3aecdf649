package org.stsrelay.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.stsrelay.delivery.MxHostProbe;
import org.stsrelay.delivery.StartTlsProbeResult;
import org.stsrelay.policy.Mode;
import org.stsrelay.policy.PolicyDocument;
import org.stsrelay.policy.dns.MxRecord;

/** The {@code check --probe-mx} step: one STARTTLS probe per MX host, judged by PKIX and, where it applies, DANE. */
final class CheckProbes {

    private final MxHostProbe probe;
    private final CheckDaneProbe dane;

    CheckProbes(MxHostProbe probe, CheckDaneProbe dane) {
        this.probe = probe;
        this.dane = dane;
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

    private CompletableFuture<List<CheckItem>> probeOne(
            String host, Optional<CheckDaneFindings.Host> daneHost, Optional<PolicyDocument> policy) {
        // RFC 7672 §8.1: for a host with TLSA records the SNI name is the TLSA base domain.
        String sni = daneHost.map(CheckDaneFindings.Host::tlsaBase).orElse(host);
        return probe.probe(host, sni).thenApply(outcome -> {
            if (outcome instanceof MxHostProbe.Outcome.NoAddress none) {
                return List.of(CheckItem.of(
                        none.lookupFailed() ? CheckVerdict.UNKNOWN : CheckVerdict.FAIL,
                        "mx-tls",
                        host + ": no address to connect to (" + none.reason() + ")"));
            }
            return judge(((MxHostProbe.Outcome.Probed) outcome).result(), daneHost, policy);
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
}
