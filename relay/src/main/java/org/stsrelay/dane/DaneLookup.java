package org.stsrelay.dane;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.policy.dns.Secured;
import org.stsrelay.policy.dns.Security;
import org.stsrelay.policy.dns.TlsaRecordData;

/**
 * Finds what DANE asks of one MX host from a secure MX RRset (RFC 7672 §2.2.2, §2.2.3): the host's addresses
 * first, then the TLSA RRset at the CNAME-expanded name and, failing that, at the name itself.
 */
public final class DaneLookup {

    private final DnsClient dns;

    /** Looks up through {@code dns}, whose secure lookups carry the DNSSEC status. */
    public DaneLookup(DnsClient dns) {
        this.dns = dns;
    }

    /**
     * The DANE status of {@code host}, an MX host of {@code domain} from a secure MX RRset (or a configured next
     * hop), reached on {@code port}.
     */
    public CompletableFuture<DaneStatus> host(String host, String domain, int port) {
        return dns.secureAddresses(host).toCompletableFuture().thenCompose(addresses -> {
            // RFC 7672 §2.2.2: addresses first; only a secure address RRset leads to a TLSA lookup.
            if (addresses.security() == Security.BOGUS) {
                return done(
                        new DaneStatus.Bogus(host, "the addresses of " + host + " are bogus: " + addresses.reason()));
            }
            if (addresses.answer() instanceof DnsResult.Failure<InetAddress> failure) {
                return done(new DaneStatus.Unresolved("address lookup failed: " + failure.reason()));
            }
            if (!(addresses.answer() instanceof DnsResult.Records<InetAddress> found)) {
                return done(new DaneStatus.Unresolved("no address"));
            }
            if (addresses.security() != Security.SECURE) {
                return done(new DaneStatus.NotApplicable(
                        "the addresses of " + host + " are not DNSSEC-signed ("
                                + addresses.security().name().toLowerCase(java.util.Locale.ROOT) + ")",
                        Optional.of(found.values())));
            }
            String expanded = stripDot(found.canonicalName());
            List<String> candidates = expanded.equalsIgnoreCase(host) ? List.of(host) : List.of(expanded, host);
            return tlsa(candidates, 0, host, domain, port, found.values());
        });
    }

    /** RFC 7672 §2.2.3: the first candidate base domain with a secure TLSA RRset becomes the base domain. */
    private CompletableFuture<DaneStatus> tlsa(
            List<String> candidates, int next, String host, String domain, int port, List<InetAddress> addresses) {
        if (next >= candidates.size()) {
            return done(
                    new DaneStatus.NotApplicable("no DNSSEC-signed TLSA records for " + host, Optional.of(addresses)));
        }
        String base = candidates.get(next);
        return dns.tlsa(base, port).toCompletableFuture().thenCompose(answer -> {
            Optional<DaneStatus> decided = decided(answer, base, host, domain, addresses);
            return decided.isPresent()
                    ? done(decided.get())
                    : tlsa(candidates, next + 1, host, domain, port, addresses);
        });
    }

    /** The status one TLSA answer settles, or empty when the next candidate must be tried. */
    private static Optional<DaneStatus> decided(
            Secured<TlsaRecordData> answer, String base, String host, String domain, List<InetAddress> addresses) {
        if (answer.security() == Security.BOGUS) {
            return Optional.of(
                    new DaneStatus.Bogus(base, "the TLSA records of " + base + " are bogus: " + answer.reason()));
        }
        if (answer.answer() instanceof DnsResult.Failure<TlsaRecordData> failure) {
            // RFC 7672 §2.1.2: a TLSA lookup that fails makes the server unreachable, never a downgrade.
            return Optional.of(new DaneStatus.Unresolved("TLSA lookup for " + base + " failed: " + failure.reason()));
        }
        if (answer.security() != Security.SECURE || !(answer.answer() instanceof DnsResult.Records<TlsaRecordData> r)) {
            // An insecure RRset or a proven denial: try the next candidate (§2.2.3).
            return Optional.empty();
        }
        List<TlsaRecord> records = r.values().stream().map(TlsaRecord::of).toList();
        // RFC 7672 §3.2.2: the base domain, then the next-hop domain; the MX name when it was CNAME-expanded.
        ReferenceIdentifiers identifiers = ReferenceIdentifiers.of(base, domain, host);
        return Optional.of(new DaneStatus.Applies(TlsaRrset.classify(records), identifiers, addresses));
    }

    private static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
