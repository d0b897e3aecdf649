package org.stsrelay.policy.dns;

import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Resolver;

/** Takes the security status from a trusted validating resolver's AD bit (RFC 6840 §5.7). */
final class AdBitExchange implements Exchange {

    private final Resolver resolver;

    /** {@code resolver} must send the DO bit, so the upstream validates and reports AD (RFC 3225 §3). */
    AdBitExchange(Resolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public CompletionStage<Exchanged> send(Message query) {
        // RFC 6840 §5.7: setting AD in a query asks the resolver to report whether it validated the answer.
        query.getHeader().setFlag(Flags.AD);
        return resolver.sendAsync(query, Runnable::run)
                .thenApply(response -> response.getHeader().getFlag(Flags.AD)
                        ? new Exchanged(response, Security.SECURE, "validated by the resolver (AD bit)")
                        : new Exchanged(response, Security.INSECURE, "the resolver did not set the AD bit"));
    }
}
