package org.stsrelay.policy.testing;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.policy.dns.MxRecord;

/** An in-memory {@link DnsClient}: unknown names are NXDOMAIN. */
public final class FakeDns implements DnsClient {

    private final Map<String, DnsResult<String>> txt = new ConcurrentHashMap<>();
    private final Map<String, List<InetAddress>> addresses = new ConcurrentHashMap<>();
    private final AtomicInteger txtQueries = new AtomicInteger();

    public FakeDns txt(String name, String... records) {
        txt.put(name, new DnsResult.Records<>(List.of(records), name));
        return this;
    }

    public FakeDns txtResult(String name, DnsResult<String> result) {
        txt.put(name, result);
        return this;
    }

    public FakeDns removeTxt(String name) {
        txt.remove(name);
        return this;
    }

    public FakeDns address(String name, InetAddress address) {
        addresses.put(name, List.of(address));
        return this;
    }

    public int txtQueries() {
        return txtQueries.get();
    }

    @Override
    public CompletionStage<DnsResult<String>> txt(String name) {
        txtQueries.incrementAndGet();
        return CompletableFuture.completedFuture(txt.getOrDefault(name, new DnsResult.NxDomain<>(name)));
    }

    @Override
    public CompletionStage<DnsResult<MxRecord>> mx(String name) {
        return CompletableFuture.completedFuture(new DnsResult.NoData<>(name));
    }

    @Override
    public CompletionStage<DnsResult<InetAddress>> a(String name) {
        List<InetAddress> found = addresses.get(name);
        return CompletableFuture.completedFuture(found == null
                ? new DnsResult.NxDomain<>(name) : new DnsResult.Records<>(found, name));
    }

    @Override
    public CompletionStage<DnsResult<InetAddress>> aaaa(String name) {
        return CompletableFuture.completedFuture(addresses.containsKey(name)
                ? new DnsResult.NoData<>(name) : new DnsResult.NxDomain<>(name));
    }
}
