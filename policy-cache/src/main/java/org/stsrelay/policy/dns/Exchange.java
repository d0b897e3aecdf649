package org.stsrelay.policy.dns;

import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/** Sends one query and classifies the response's DNSSEC status. */
interface Exchange {

    /** Sends {@code query}; a network failure completes the stage exceptionally. */
    CompletionStage<Exchanged> send(Message query);

    /**
     * A response and its security status.
     *
     * @param response the DNS message
     * @param security its status (RFC 4033 §5)
     * @param reason why
     */
    record Exchanged(Message response, Security security, String reason) {}
}
