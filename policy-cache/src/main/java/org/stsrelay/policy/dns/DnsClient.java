package org.stsrelay.policy.dns;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Asynchronous DNS lookups that follow CNAMEs and report NXDOMAIN, NODATA and failures as values; the
 * {@code secure*} and {@link #tlsa} lookups also carry the answer's DNSSEC status (RFC 4033 §5).
 */
public interface DnsClient {

    /** Looks up TXT records; each record's strings are concatenated without spaces (RFC 8461 §3.1). */
    CompletionStage<DnsResult<String>> txt(String name);

    /** Looks up MX records with their preferences. */
    CompletionStage<DnsResult<MxRecord>> mx(String name);

    /** Looks up IPv4 addresses. */
    CompletionStage<DnsResult<InetAddress>> a(String name);

    /** Looks up IPv6 addresses. */
    CompletionStage<DnsResult<InetAddress>> aaaa(String name);

    /** Looks up MX records with their DNSSEC status; this default validates nothing, so every answer is insecure. */
    default CompletionStage<Secured<MxRecord>> secureMx(String name) {
        return mx(name).thenApply(answer -> new Secured<>(answer, Security.INSECURE, "not validated"));
    }

    /**
     * Looks up A and AAAA records, following CNAMEs, with the weakest status of both answers and of every link
     * (RFC 7672 §2.2.2); this default validates nothing.
     */
    default CompletionStage<Secured<InetAddress>> secureAddresses(String name) {
        return a(name).thenCombine(
                        aaaa(name),
                        (v4, v6) -> new Secured<>(AddressAnswers.merge(v4, v6), Security.INSECURE, "not validated"));
    }

    /** Looks up the TLSA records of {@code _25._tcp.<host>} (RFC 7672 §2.2). */
    default CompletionStage<Secured<TlsaRecordData>> tlsa(String host) {
        return tlsa(host, 25);
    }

    /**
     * Looks up the TLSA records of {@code _<port>._tcp.<host>}: a route to another port uses that port's
     * records (RFC 7672 §2.2.3); this default finds none.
     */
    default CompletionStage<Secured<TlsaRecordData>> tlsa(String host, int port) {
        return CompletableFuture.completedFuture(new Secured<>(
                new DnsResult.NoData<>("_" + port + "._tcp." + host), Security.INSECURE, "not validated"));
    }

    /** Returns whether DNSSEC answers can currently be validated, for {@code check} and logs. */
    default DnssecStatus dnssecStatus() {
        return new DnssecStatus(DnssecMode.OFF, false, "this DNS client does not validate");
    }

    /** Checks now that the resolvers deliver validatable DNSSEC data; completes with the outcome. */
    default CompletionStage<DnssecStatus> checkDnssec() {
        return CompletableFuture.completedFuture(dnssecStatus());
    }

    /**
     * Checks now, then every {@code period} on {@code scheduler}, that the resolvers deliver validatable DNSSEC
     * data; completes with the first check's outcome.
     */
    default CompletionStage<DnssecStatus> scheduleDnssecChecks(ScheduledExecutorService scheduler, Duration period) {
        return CompletableFuture.completedFuture(dnssecStatus());
    }

    /** Creates a client over dnsjava's asynchronous resolver with these settings and its own meter registry. */
    static DnsClient create(DnsSettings settings) {
        return create(settings, new SimpleMeterRegistry(), Ticker.systemTicker());
    }

    /** Creates a client that counts its DNSSEC answers in {@code registry}; {@code ticker} ages cached answers. */
    static DnsClient create(DnsSettings settings, MeterRegistry registry, Ticker ticker) {
        return new DnsjavaClient(settings, registry, ticker);
    }
}
