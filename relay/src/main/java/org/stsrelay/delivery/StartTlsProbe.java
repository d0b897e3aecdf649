package org.stsrelay.delivery;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Connects to one MX host, upgrades with STARTTLS and reports the TLS session and certificate, then QUITs;
 * it never sends mail. Used by {@code check --probe-mx}.
 */
public final class StartTlsProbe {

    // RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets; servers exceed it, so allow some room.

    private final EventLoopGroup group;
    private final X509TrustManager pkix;
    private final String ehloName;
    private final Duration timeout;
    private final Clock clock;

    /**
     * Creates a probe that says {@code EHLO ehloName}, trusts {@code pkix}, gives up on a connection or a
     * reply after {@code timeout}, and judges certificate validity periods by {@code clock}.
     */
    public StartTlsProbe(EventLoopGroup group, X509TrustManager pkix, String ehloName, Duration timeout, Clock clock) {
        this.group = group;
        this.pkix = pkix;
        this.ehloName = ehloName;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Probes {@code mxHost} at {@code address} with SNI {@code mxHost}; the stage never completes exceptionally. */
    public CompletionStage<StartTlsProbeResult> probe(String mxHost, InetSocketAddress address) {
        return probe(mxHost, mxHost, address);
    }

    /**
     * Probes {@code mxHost} at {@code address}, sending {@code sniName} as SNI; the stage never completes
     * exceptionally.
     */
    public CompletionStage<StartTlsProbeResult> probe(String mxHost, String sniName, InetSocketAddress address) {
        String shown = address.getAddress().getHostAddress() + " port " + address.getPort();
        ObservingTrustManager trust = new ObservingTrustManager(pkix, mxHost, clock);
        SSLEngine engine;
        try {
            engine = newEngine(sniName, address.getPort(), trust);
        } catch (GeneralSecurityException | IllegalArgumentException unusable) {
            return CompletableFuture.completedFuture(
                    failed(mxHost, shown, "TLS unavailable: " + unusable.getMessage()));
        }
        ProbeHandler handler = new ProbeHandler(mxHost, shown, ehloName, engine, trust, timeout.toMillis());
        ChannelFuture connecting = SmtpClientBootstrap.connect(group, address, timeout, "probe", handler);
        CompletableFuture<StartTlsProbeResult> result = new CompletableFuture<>();
        connecting.addListener(done -> {
            if (!done.isSuccess()) {
                result.complete(failed(
                        mxHost, shown, "could not connect: " + done.cause().getMessage()));
                return;
            }
            Channel channel = connecting.channel();
            // One deadline per reply would let a slow server stretch the probe; one for the whole probe is simpler.
            ScheduledFuture<?> deadline = channel.eventLoop()
                    .schedule(
                            () -> handler.timedOut(channel, timeout.toSeconds()),
                            timeout.toMillis(),
                            TimeUnit.MILLISECONDS);
            handler.outcome().whenComplete((probed, error) -> {
                deadline.cancel(false);
                result.complete(probed);
            });
        });
        return result;
    }

    private SSLEngine newEngine(String host, int port, ObservingTrustManager trust) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trust}, null);
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        // RFC 8461 §4.2 with RFC 6066 §3: SNI carries the MX host name the certificate must match; for DANE it is
        // the TLSA base domain (RFC 7672 §8.1).
        parameters.setServerNames(List.of(new SNIHostName(host)));
        engine.setSSLParameters(parameters);
        return engine;
    }

    private static StartTlsProbeResult failed(String host, String address, String reason) {
        return new StartTlsProbeResult(
                host,
                address,
                Optional.empty(),
                false,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Optional.of(reason));
    }
}
