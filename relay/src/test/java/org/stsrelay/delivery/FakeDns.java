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

/** An in-memory DNS: MX and A answers from tables; anything else is NXDOMAIN. */
final class FakeDns implements DnsClient {

    final Map<String, DnsResult<MxRecord>> mx = new HashMap<>();
    final Map<String, List<InetAddress>> a = new HashMap<>();

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
                : new DnsResult.Records<>(found, name));
    }

    @Override
    public CompletionStage<DnsResult<InetAddress>> aaaa(String name) {
        return CompletableFuture.completedFuture(new DnsResult.NoData<>(name));
    }
}
