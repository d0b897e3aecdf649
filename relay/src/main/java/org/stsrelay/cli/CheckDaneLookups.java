package org.stsrelay.cli;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.policy.dns.DnssecStatus;
import org.stsrelay.policy.dns.MxRecord;
import org.stsrelay.policy.dns.Secured;
import org.stsrelay.policy.dns.Security;
import org.stsrelay.policy.dns.TlsaRecordData;

/** The DNSSEC-aware lookups of {@code check}: MX status, then per MX host its addresses and TLSA (RFC 7672 §2.2). */
final class CheckDaneLookups {

    private final DnsClient dns;

    CheckDaneLookups(DnsClient dns) {
        this.dns = dns;
    }

    /** Looks up every host's addresses and TLSA records when DANE can apply; otherwise none. */
    CompletableFuture<CheckDaneFindings> hosts(DnssecStatus status, Secured<MxRecord> mx, List<MxRecord> hosts) {
        CheckDaneFindings none = new CheckDaneFindings(status, mx, List.of());
        if (!none.applies()) {
            return CompletableFuture.completedFuture(none);
        }
        List<CompletableFuture<CheckDaneFindings.Host>> each =
                hosts.stream().map(h -> host(h.host())).toList();
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(done -> new CheckDaneFindings(
                        status, mx, each.stream().map(CompletableFuture::join).toList()));
    }

    // RFC 7672 §2.2.2: the address lookup comes first, and only a secure address answer leads to a TLSA lookup.
    private CompletableFuture<CheckDaneFindings.Host> host(String host) {
        return guarded(dns.secureAddresses(host)).thenCompose(addresses -> {
            if (addresses.security() != Security.SECURE
                    || addresses.answer().valuesOrEmpty().isEmpty()) {
                return CompletableFuture.completedFuture(
                        new CheckDaneFindings.Host(host, addresses, Optional.empty(), host));
            }
            String expanded = addresses.answer() instanceof DnsResult.Records<InetAddress> records
                    ? records.canonicalName()
                    : host;
            return tlsa(host, expanded)
                    .thenApply(found ->
                            new CheckDaneFindings.Host(host, addresses, Optional.of(found.answer()), found.base()));
        });
    }

    /** A TLSA answer and the candidate base domain it was found at. */
    private record Found(Secured<TlsaRecordData> answer, String base) {}

    // RFC 7672 §2.2.3: a secure CNAME expansion is tried first, then the name itself; an error stops the search.
    private CompletableFuture<Found> tlsa(String host, String expanded) {
        if (expanded.equalsIgnoreCase(host)) {
            return lookUp(host);
        }
        return lookUp(expanded).thenCompose(first -> {
            Security security = first.answer().security();
            boolean found = security == Security.SECURE
                    && !first.answer().answer().valuesOrEmpty().isEmpty();
            boolean error = security == Security.BOGUS || security == Security.INDETERMINATE;
            return found || error ? CompletableFuture.completedFuture(first) : lookUp(host);
        });
    }

    private CompletableFuture<Found> lookUp(String base) {
        return guarded(dns.tlsa(base)).thenApply(answer -> new Found(answer, base));
    }

    private static <T> CompletableFuture<Secured<T>> guarded(CompletionStage<Secured<T>> lookup) {
        return lookup.toCompletableFuture()
                .exceptionally(error -> new Secured<>(
                        new DnsResult.Failure<>(String.valueOf(error)),
                        Security.INDETERMINATE,
                        "lookup failed: " + error));
    }
}
