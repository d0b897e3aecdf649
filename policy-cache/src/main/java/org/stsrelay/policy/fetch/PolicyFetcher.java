package org.stsrelay.policy.fetch;

import io.netty.channel.EventLoopGroup;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.support.TrustStores;

/** Fetches {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} (RFC 8461 §3.3). */
public interface PolicyFetcher {

    /** Fetches the policy file of {@code policyDomain}; the stage never completes exceptionally. */
    CompletionStage<FetchResult> fetch(String policyDomain);

    /**
     * Creates a fetcher over Netty that resolves the policy host with {@code dns}, runs on {@code group}, and
     * explains certificate validity by {@code clock}.
     */
    static PolicyFetcher create(FetchSettings settings, DnsClient dns, EventLoopGroup group, Clock clock) {
        return new NettyPolicyFetcher(
                settings, dns, group, TrustStores.pkix(settings.extraTrustedCertificates()), clock);
    }
}
