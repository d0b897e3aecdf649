package org.stsrelay.tlsrpt;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.policy.dns.MxRecord;

/** An in-memory DNS with TXT records only; every other name is NXDOMAIN. */
final class FakeDns implements DnsClient {

    private final Map<String, List<String>> txt = new ConcurrentHashMap<>();

    FakeDns txt(String name, String... records) {
        txt.put(name, List.of(records));
        return this;
    }

    @Override
    public CompletionStage<DnsResult<String>> txt(String name) {
        List<String> records = txt.get(name);
        return CompletableFuture.completedFuture(records == null ? new DnsResult.NxDomain<>(name)
                : new DnsResult.Records<>(records, name));
    }

    @Override
    public CompletionStage<DnsResult<MxRecord>> mx(String name) {
        return CompletableFuture.completedFuture(new DnsResult.NxDomain<>(name));
    }

    @Override
    public CompletionStage<DnsResult<InetAddress>> a(String name) {
        return CompletableFuture.completedFuture(new DnsResult.NxDomain<>(name));
    }

    @Override
    public CompletionStage<DnsResult<InetAddress>> aaaa(String name) {
        return CompletableFuture.completedFuture(new DnsResult.NxDomain<>(name));
    }
}
