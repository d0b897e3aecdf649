package org.stsrelay.delivery;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.stsrelay.config.DeliveryConfig;
import org.stsrelay.config.HostPort;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.policy.dns.MxRecord;
import org.stsrelay.policy.dns.Security;

/** Finds a domain's MX hosts and their addresses through the policy module's DNS client. */
final class RouteResolver {

    private static final Pattern IPV4 = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

    private final DnsClient dns;
    private final DeliveryConfig config;
    private final Random random;

    RouteResolver(DnsClient dns, DeliveryConfig config, Random random) {
        this.dns = dns;
        this.config = config;
        this.random = random;
    }

    /**
     * The route to {@code domain}; a configured next hop replaces the MX lookup. With {@code dnssec} the MX
     * RRset's DNSSEC status is kept for DANE; a bogus one defers when {@code bogusDefers}, else (DANE only
     * reporting) the plain answer is used.
     */
    CompletableFuture<Route> route(String domain, Optional<HostPort> nextHop, boolean dnssec, boolean bogusDefers) {
        if (nextHop.isPresent()) {
            // RFC 7672 §2.2.2: a configured next hop is not subject to MX resolution; DANE may apply to it.
            HostPort hop = nextHop.get();
            return CompletableFuture.completedFuture(
                    new Route.Hosts(List.of(hop.host()), hop.port(), true, hop.port()));
        }
        if (!dnssec) {
            return plain(domain);
        }
        return dns.secureMx(domain).toCompletableFuture().thenCompose(answer -> {
            if (answer.security() == Security.BOGUS) {
                // RFC 7672 §2.1.2: a bogus MX RRset leaves no server to trust: delivery is delayed.
                return bogusDefers
                        ? CompletableFuture.completedFuture(
                                new Route.DnsTrouble("the MX records of " + domain + " are bogus: " + answer.reason()))
                        : plain(domain);
            }
            return CompletableFuture.completedFuture(
                    fromMx(domain, answer.answer(), answer.security() == Security.SECURE));
        });
    }

    private CompletableFuture<Route> plain(String domain) {
        return dns.mx(domain).toCompletableFuture().thenApply(result -> fromMx(domain, result, false));
    }

    private Route fromMx(String domain, DnsResult<MxRecord> result, boolean secure) {
        if (result instanceof DnsResult.Records<MxRecord> records) {
            List<MxRecord> mx = records.values();
            // RFC 7505 §3: a single MX with an empty exchange (".") means "no mail here".
            if (mx.size() == 1
                    && (mx.get(0).host().isEmpty() || mx.get(0).host().equals("."))) {
                return new Route.NullMx();
            }
            return new Route.Hosts(ordered(mx), config.port(), secure, 25);
        }
        if (result instanceof DnsResult.NoData<MxRecord>) {
            // RFC 5321 §5.1: no MX records: the domain itself is the implicit MX, matched by its name.
            return new Route.Hosts(List.of(domain), config.port(), secure, 25);
        }
        if (result instanceof DnsResult.NxDomain<MxRecord>) {
            return new Route.NoDomain(result.describe());
        }
        return new Route.DnsTrouble(result.describe());
    }

    /** RFC 5321 §5.1: lowest preference first; hosts of equal preference in random order. */
    private List<String> ordered(List<MxRecord> records) {
        Map<Integer, List<String>> byPreference = new TreeMap<>();
        for (MxRecord record : records) {
            byPreference
                    .computeIfAbsent(record.preference(), p -> new ArrayList<>())
                    .add(stripDot(record.host()));
        }
        List<String> hosts = new ArrayList<>();
        for (List<String> same : byPreference.values()) {
            Collections.shuffle(same, random);
            hosts.addAll(same);
        }
        return hosts;
    }

    /** The host's addresses: IPv4 then IPv6, as configured; a literal address is its own answer. */
    CompletableFuture<List<InetAddress>> addresses(String host) {
        if (isLiteral(host)) {
            try {
                return CompletableFuture.completedFuture(List.of(InetAddress.getByName(host)));
            } catch (java.net.UnknownHostException impossible) {
                return CompletableFuture.completedFuture(List.of());
            }
        }
        CompletableFuture<List<InetAddress>> v4 = config.ipv4()
                ? dns.a(host).toCompletableFuture().thenApply(DnsResult::valuesOrEmpty)
                : CompletableFuture.completedFuture(List.of());
        CompletableFuture<List<InetAddress>> v6 = config.ipv6()
                ? dns.aaaa(host).toCompletableFuture().thenApply(DnsResult::valuesOrEmpty)
                : CompletableFuture.completedFuture(List.of());
        return v4.thenCombine(v6, (four, six) -> {
            List<InetAddress> all = new ArrayList<>(four);
            all.addAll(six);
            return all;
        });
    }

    /** Whether {@code host} is an address literal, to which DANE never applies (RFC 7672 §2.2). */
    static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
    }

    /** Keeps the addresses the configuration allows: IPv4 then IPv6. */
    List<InetAddress> allowed(List<InetAddress> addresses) {
        List<InetAddress> v4 = addresses.stream()
                .filter(a -> a instanceof java.net.Inet4Address && config.ipv4())
                .toList();
        List<InetAddress> v6 = addresses.stream()
                .filter(a -> a instanceof java.net.Inet6Address && config.ipv6())
                .toList();
        List<InetAddress> all = new ArrayList<>(v4);
        all.addAll(v6);
        return all;
    }

    private static String stripDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }
}
