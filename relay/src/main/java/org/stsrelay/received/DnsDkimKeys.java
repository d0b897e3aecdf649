package org.stsrelay.received;

import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.dns.DnsResult;

/** DKIM keys from the relay's DNS resolvers, waiting a bounded time for each answer. */
public final class DnsDkimKeys implements DkimKeys {

    private static final long TIMEOUT_SECONDS = 30;

    private final DnsClient dns;

    /** Keys looked up through {@code dns}. */
    public DnsDkimKeys(DnsClient dns) {
        this.dns = Objects.requireNonNull(dns, "dns");
    }

    @Override
    public Lookup lookup(String selector, String domain) {
        String name = selector + "._domainkey." + domain;
        DnsResult<String> result;
        try {
            result = dns.txt(name).toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Lookup.Unavailable("interrupted looking up " + name);
        } catch (ExecutionException e) {
            return new Lookup.Unavailable(
                    "looking up " + name + " failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            return new Lookup.Unavailable("no answer for " + name + " within " + TIMEOUT_SECONDS + " s");
        }
        if (result instanceof DnsResult.Records<String> records) {
            return new Lookup.Found(records.values());
        }
        return new Lookup.Unavailable(result.describe());
    }
}
