package org.stsrelay.inbound;

import io.netty.handler.ssl.SslContext;
import java.time.Clock;
import java.util.Optional;
import org.stsrelay.config.InboundConfig;
import org.stsrelay.spool.Envelope;
import org.stsrelay.spool.Spool;
import org.stsrelay.support.Interner;

/**
 * What every session of one server shares.
 *
 * @param hostname this relay's name (banner, EHLO, Received)
 * @param config   limits, networks, timeouts
 * @param spool    where accepted messages go
 * @param metrics  the inbound meters
 * @param clock    time for Received headers and envelopes
 * @param tls      the STARTTLS server context, when configured
 * @param auth     the credential checker, when a users file is configured
 * @param authThrottle failed AUTH attempts per client address, across sessions
 * @param clients  one instance per distinct client description, for the envelopes the queue keeps
 */
record ServerContext(
        String hostname,
        InboundConfig config,
        Spool spool,
        InboundMetrics metrics,
        Clock clock,
        Optional<SslContext> tls,
        Optional<Authenticator> auth,
        AuthThrottle authThrottle,
        Interner<Envelope.ClientInfo> clients) {

    /** Whether the client may relay: authenticated, or from an allowed network (never an open relay). */
    boolean mayRelay(java.net.InetAddress client, boolean authenticated) {
        return authenticated || config.allowedNetworks().stream().anyMatch(n -> n.contains(client));
    }
}
