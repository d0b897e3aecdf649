package org.stsrelay.delivery;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.policy.dns.MxRecord;
import org.stsrelay.policy.dns.Secured;
import org.stsrelay.policy.dns.Security;
import org.stsrelay.policy.dns.TlsaRecordData;

/**
 * An in-memory DNS: MX and A answers from tables; anything else is NXDOMAIN. DNSSEC statuses come from tables
 * too: every answer is insecure unless a test marks it, and TLSA records exist only where a test publishes them.
 */
final class FakeDns implements DnsClient {

    final Map<String, DnsResult<MxRecord>> mx = new HashMap<>();
    final Map<String, List<InetAddress>> a = new HashMap<>();
    final Map<String, Security> mxSecurity = new HashMap<>();
    final Map<String, Security> addressSecurity = new HashMap<>();
    final Map<String, Secured<TlsaRecordData>> tlsa = new HashMap<>();
    /** The name A answers are given under after CNAME expansion, when it differs from the query. */
    final Map<String, String> canonical = new HashMap<>();
    final List<String> tlsaQueries = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Marks the MX RRset of {@code domain} and the addresses of {@code hosts} secure. */
    FakeDns signed(String domain, String... hosts) {
        mxSecurity.put(domain, Security.SECURE);
        for (String host : hosts) {
            addressSecurity.put(host, Security.SECURE);
        }
        return this;
    }

    /** Publishes a TLSA RRset for {@code host} (port 25) with the given status. */
    FakeDns tlsa(String host, Security security, TlsaRecordData... records) {
        DnsResult<TlsaRecordData> answer = records.length == 0 ? new DnsResult.NoData<>("_25._tcp." + host)
                : new DnsResult.Records<>(List.of(records), "_25._tcp." + host);
        tlsa.put(host, new Secured<>(answer, security, security.name().toLowerCase(java.util.Locale.ROOT)));
        return this;
    }

    /** Makes the TLSA lookup for {@code host} fail (SERVFAIL, RFC 7672 §2.1.2). */
    FakeDns tlsaFails(String host) {
        tlsa.put(host, new Secured<>(new DnsResult.Failure<>("SERVFAIL"), Security.INDETERMINATE, "SERVFAIL"));
        return this;
    }

    @Override
    public CompletionStage<Secured<MxRecord>> secureMx(String name) {
        return mx(name).thenApply(answer -> new Secured<>(answer,
                mxSecurity.getOrDefault(name, Security.INSECURE), "fake"));
    }

    @Override
    public CompletionStage<Secured<InetAddress>> secureAddresses(String name) {
        return a(name).thenApply(answer -> new Secured<>(answer,
                addressSecurity.getOrDefault(name, Security.INSECURE), "fake"));
    }

    @Override
    public CompletionStage<Secured<TlsaRecordData>> tlsa(String host, int port) {
        tlsaQueries.add("_" + port + "._tcp." + host);
        Secured<TlsaRecordData> denied = new Secured<>(new DnsResult.NoData<>("_" + port + "._tcp." + host),
                Security.SECURE, "fake denial");
        return CompletableFuture.completedFuture(port == 25 ? tlsa.getOrDefault(host, denied) : denied);
    }

    FakeDns mx(String domain, MxRecord... records) {
        mx.put(domain, new DnsResult.Records<>(List.of(records), domain));
        return this;
    }

    FakeDns a(String host, String ip) throws Exception {
        a.put(host, List.of(InetAddress.getByName(ip)));
        return this;
    }

    @Override
    public CompletionStage<DnsResult<String>> txt(String name) {
        return CompletableFuture.completedFuture(new DnsResult.NxDomain<>(name));
    }

    @Override
    public CompletionStage<DnsResult<MxRecord>> mx(String name) {
        return CompletableFuture.completedFuture(mx.getOrDefault(name, new DnsResult.NxDomain<>(name)));
    }

    @Override
    public CompletionStage<DnsResult<InetAddress>> a(String name) {
        List<InetAddress> found = a.get(name);
        return CompletableFuture.completedFuture(found == null ? new DnsResult.NxDomain<>(name)
                : new DnsResult.Records<>(found, canonical.getOrDefault(name, name)));
    }

    @Override
    public CompletionStage<DnsResult<InetAddress>> aaaa(String name) {
        return CompletableFuture.completedFuture(new DnsResult.NoData<>(name));
    }
}
