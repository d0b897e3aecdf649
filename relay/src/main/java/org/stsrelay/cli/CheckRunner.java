package org.stsrelay.cli;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.stsrelay.dane.DaneVerifier;
import org.stsrelay.delivery.MxHostProbe;
import org.stsrelay.delivery.StartTlsProbe;
import org.stsrelay.policy.ParseResult;
import org.stsrelay.policy.PolicyDocument;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.policy.dns.DnssecStatus;
import org.stsrelay.policy.dns.MxRecord;
import org.stsrelay.policy.dns.Secured;
import org.stsrelay.policy.dns.Security;
import org.stsrelay.policy.resolve.Diagnosis;
import org.stsrelay.policy.resolve.PolicyResolver;

/** Runs every step of {@code check} for one domain: policy, MX hosts, DANE, TLS-RPT, and optionally STARTTLS probes. */
final class CheckRunner {

    private final PolicyResolver resolver;
    private final DnsClient dns;
    private final CheckDaneLookups dane;
    private final Optional<CheckProbes> probes;
    private final Clock clock;

    /** {@code probe} empty: MX hosts are matched but not connected to. */
    CheckRunner(PolicyResolver resolver, DnsClient dns, Optional<StartTlsProbe> probe, int mxPort, Clock clock) {
        this.resolver = resolver;
        this.dns = dns;
        this.dane = new CheckDaneLookups(dns);
        this.probes = probe.map(
                p -> new CheckProbes(new MxHostProbe(dns, p, mxPort), new CheckDaneProbe(new DaneVerifier(clock))));
        this.clock = clock;
    }

    /** Checks a normalised domain; the lookups run in parallel, then the DANE host lookups, then the probes. */
    CompletionStage<CheckReport> check(String domain) {
        CompletableFuture<Diagnosis> diagnosis =
                resolver.diagnose(domain).toCompletableFuture().thenApply(Optional::orElseThrow);
        CompletableFuture<DnsResult<MxRecord>> mx = guarded(dns.mx(domain));
        CompletableFuture<DnsResult<String>> tlsRpt = guarded(dns.txt("_smtp._tls." + domain));
        CompletableFuture<DnssecStatus> dnssec = dns.checkDnssec()
                .toCompletableFuture()
                .exceptionally(
                        error -> new DnssecStatus(dns.dnssecStatus().mode(), false, "the check failed: " + error));
        CompletableFuture<Secured<MxRecord>> secureMx = dnssec.thenCompose(status -> dns.secureMx(domain))
                .exceptionally(error -> new Secured<>(
                        new DnsResult.Failure<>(String.valueOf(error)),
                        Security.INDETERMINATE,
                        "lookup failed: " + error));
        return CompletableFuture.allOf(diagnosis, mx, tlsRpt, secureMx).thenCompose(all -> {
            Diagnosis d = diagnosis.join();
            CheckMxItems.Found hosts = CheckMxItems.of(domain, mx.join(), policy(d));
            return dane.hosts(dnssec.join(), secureMx.join(), hosts.hosts()).thenCompose(findings -> {
                List<CheckItem> items = new ArrayList<>(CheckPolicyItems.of(d, clock.instant()));
                items.addAll(hosts.items());
                items.addAll(CheckDaneItems.of(findings));
                items.addAll(CheckTlsRptItem.of(domain, tlsRpt.join()));
                if (probes.isEmpty()) {
                    return CompletableFuture.completedFuture(new CheckReport(domain, items));
                }
                return probes.get().items(hosts.hosts(), findings, policy(d)).thenApply(probed -> {
                    items.addAll(probed);
                    return new CheckReport(domain, items);
                });
            });
        });
    }

    private static Optional<PolicyDocument> policy(Diagnosis diagnosis) {
        return diagnosis
                .parseResult()
                .filter(ParseResult.Valid.class::isInstance)
                .map(valid -> ((ParseResult.Valid) valid).document());
    }

    private static <T> CompletableFuture<DnsResult<T>> guarded(CompletionStage<DnsResult<T>> lookup) {
        return lookup.toCompletableFuture().exceptionally(error -> new DnsResult.Failure<>(String.valueOf(error)));
    }
}
