package org.stsrelay.delivery;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.dns.DnsResult;

/**
 * Resolves one MX host as delivery does and probes its first address with STARTTLS: the probe that
 * {@code check --probe-mx} and {@code domain plan} share.
 */
public final class MxHostProbe {

    /** What probing one host came to: no address to dial, or the probe's observations. */
    public sealed interface Outcome {

        /** Returns the MX host name. */
        String host();

        /**
         * The host has no address.
         *
         * @param host the MX host name
         * @param reason the DNS answer, in a few words
         * @param lookupFailed true when the lookup failed rather than answered "no address"
         */
        record NoAddress(String host, String reason, boolean lookupFailed) implements Outcome {}

        /** The host was dialled; {@code result} says how far the probe got. */
        record Probed(StartTlsProbeResult result) implements Outcome {
            @Override
            public String host() {
                return result.host();
            }
        }
    }

    private final DnsClient dns;
    private final StartTlsProbe probe;
    private final int port;

    /** Creates a probe that resolves through {@code dns} and dials {@code port} (25 but in tests). */
    public MxHostProbe(DnsClient dns, StartTlsProbe probe, int port) {
        this.dns = dns;
        this.probe = probe;
        this.port = port;
    }

    /** Probes {@code host} sending {@code sniName} as SNI; the stage never completes exceptionally. */
    public CompletableFuture<Outcome> probe(String host, String sniName) {
        // The MX host is resolved by our DNS client, like delivery will: IPv4 first, then IPv6.
        CompletableFuture<DnsResult<InetAddress>> v4 = guarded(dns.a(host));
        CompletableFuture<DnsResult<InetAddress>> v6 = guarded(dns.aaaa(host));
        return v4.thenCombine(v6, MxHostProbe::addresses).thenCompose(addresses -> {
            if (addresses.isEmpty()) {
                DnsResult<InetAddress> answer = v4.join();
                return CompletableFuture.completedFuture(new Outcome.NoAddress(
                        host, answer.describe(), answer instanceof DnsResult.Failure<InetAddress>));
            }
            return probe.probe(host, sniName, new InetSocketAddress(addresses.get(0), port))
                    .toCompletableFuture()
                    .thenApply(Outcome.Probed::new);
        });
    }

    private static List<InetAddress> addresses(DnsResult<InetAddress> a, DnsResult<InetAddress> aaaa) {
        List<InetAddress> addresses = new ArrayList<>(a.valuesOrEmpty());
        addresses.addAll(aaaa.valuesOrEmpty());
        return addresses;
    }

    private static <T> CompletableFuture<DnsResult<T>> guarded(CompletionStage<DnsResult<T>> lookup) {
        return lookup.toCompletableFuture().exceptionally(error -> new DnsResult.Failure<>(String.valueOf(error)));
    }
}
