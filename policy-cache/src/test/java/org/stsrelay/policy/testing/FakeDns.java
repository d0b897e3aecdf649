package org.stsrelay.policy.testing;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.policy.dns.MxRecord;
import org.stsrelay.policy.dns.Secured;
import org.stsrelay.policy.dns.Security;
import org.stsrelay.policy.dns.TlsaRecordData;

/**
 * The one in-memory {@link DnsClient}: TXT, MX and A answers and DNSSEC statuses come from tables the test fills;
 * unknown names are NXDOMAIN, every answer is insecure unless a test marks it, and TLSA records exist only where
 * a test publishes them.
 */
public final class FakeDns implements DnsClient {

    private final Map<String, DnsResult<String>> txt = new ConcurrentHashMap<>();
    private final Map<String, DnsResult<MxRecord>> mx = new ConcurrentHashMap<>();
    private final Map<String, List<InetAddress>> addresses = new ConcurrentHashMap<>();
    private final Map<String, String> canonical = new ConcurrentHashMap<>();
    private final Map<String, Security> mxSecurity = new ConcurrentHashMap<>();
    private final Map<String, Security> addressSecurity = new ConcurrentHashMap<>();
    private final Map<String, Secured<TlsaRecordData>> tlsa = new ConcurrentHashMap<>();
    private final AtomicInteger txtQueries = new AtomicInteger();
    private final List<String> tlsaQueries = new CopyOnWriteArrayList<>();

    /** Publishes the TXT records of {@code name}. */
    public FakeDns txt(String name, String... records) {
        txt.put(name, new DnsResult.Records<>(List.of(records), name));
        return this;
    }

    /** Answers TXT queries for {@code name} with {@code result}, e.g. a failure. */
    public FakeDns txtResult(String name, DnsResult<String> result) {
        txt.put(name, result);
        return this;
    }

    /** Removes the TXT records of {@code name}, so it is NXDOMAIN again. */
    public FakeDns removeTxt(String name) {
        txt.remove(name);
        return this;
    }

    /** Publishes the MX records of {@code domain}. */
    public FakeDns mx(String domain, MxRecord... records) {
        mx.put(domain, new DnsResult.Records<>(List.of(records), domain));
        return this;
    }

    /** Answers MX queries for {@code domain} with {@code result}, e.g. a failure. */
    public FakeDns mxResult(String domain, DnsResult<MxRecord> result) {
        mx.put(domain, result);
        return this;
    }

    /** Publishes the A record of {@code name}; its AAAA query then answers NODATA. */
    public FakeDns address(String name, InetAddress address) {
        addresses.put(name, List.of(address));
        return this;
    }

    /** Gives the A answers of {@code name} under {@code target}, as a CNAME chain's end (RFC 7672 §2.2.2). */
    public FakeDns canonical(String name, String target) {
        canonical.put(name, target);
        return this;
    }

    /** Marks the MX RRset of {@code domain} and the addresses of {@code hosts} secure. */
    public FakeDns signed(String domain, String... hosts) {
        mxSecurity.put(domain, Security.SECURE);
        for (String host : hosts) {
            addressSecurity.put(host, Security.SECURE);
        }
        return this;
    }

    /** Publishes a TLSA RRset for {@code host} (port 25) with the given status. */
    public FakeDns tlsa(String host, Security security, TlsaRecordData... records) {
        DnsResult<TlsaRecordData> answer = records.length == 0
                ? new DnsResult.NoData<>("_25._tcp." + host)
                : new DnsResult.Records<>(List.of(records), "_25._tcp." + host);
        tlsa.put(host, new Secured<>(answer, security, security.name().toLowerCase(Locale.ROOT)));
        return this;
    }

    /** Makes the TLSA lookup for {@code host} fail (SERVFAIL, RFC 7672 §2.1.2). */
    public FakeDns tlsaFails(String host) {
        tlsa.put(host, new Secured<>(new DnsResult.Failure<>("SERVFAIL"), Security.INDETERMINATE, "SERVFAIL"));
        return this;
    }

    /** Returns how many TXT queries were asked. */
    public int txtQueries() {
        return txtQueries.get();
    }

    /** Returns the TLSA owner names queried, in order. */
    public List<String> tlsaQueries() {
        return List.copyOf(tlsaQueries);
    }

    @Override
    public CompletionStage<DnsResult<String>> txt(String name) {
        txtQueries.incrementAndGet();
        return CompletableFuture.completedFuture(txt.getOrDefault(name, new DnsResult.NxDomain<>(name)));
    }

    @Override
    public CompletionStage<DnsResult<MxRecord>> mx(String name) {
        return CompletableFuture.completedFuture(mx.getOrDefault(name, new DnsResult.NxDomain<>(name)));
    }

    @Override
    public CompletionStage<DnsResult<InetAddress>> a(String name) {
        List<InetAddress> found = addresses.get(name);
        return CompletableFuture.completedFuture(
                found == null
                        ? new DnsResult.NxDomain<>(name)
                        : new DnsResult.Records<>(found, canonical.getOrDefault(name, name)));
    }

    @Override
    public CompletionStage<DnsResult<InetAddress>> aaaa(String name) {
        return CompletableFuture.completedFuture(
                addresses.containsKey(name) ? new DnsResult.NoData<>(name) : new DnsResult.NxDomain<>(name));
    }

    @Override
    public CompletionStage<Secured<MxRecord>> secureMx(String name) {
        return mx(name).thenApply(
                        answer -> new Secured<>(answer, mxSecurity.getOrDefault(name, Security.INSECURE), "fake"));
    }

    @Override
    public CompletionStage<Secured<InetAddress>> secureAddresses(String name) {
        return a(name).thenApply(
                        answer -> new Secured<>(answer, addressSecurity.getOrDefault(name, Security.INSECURE), "fake"));
    }

    @Override
    public CompletionStage<Secured<TlsaRecordData>> tlsa(String host, int port) {
        tlsaQueries.add("_" + port + "._tcp." + host);
        // Only port 25 has published records; any other port's RRset is provably absent (RFC 7672 §2.2.3).
        Secured<TlsaRecordData> denied =
                new Secured<>(new DnsResult.NoData<>("_" + port + "._tcp." + host), Security.SECURE, "fake denial");
        return CompletableFuture.completedFuture(port == 25 ? tlsa.getOrDefault(host, denied) : denied);
    }
}
