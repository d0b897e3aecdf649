package org.stsrelay.policy.fetch;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.stsrelay.policy.ResultType;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.support.Transports;

/** Fetches policy files with Netty: our DNS, TLS 1.2+ with SNI and host name checks, a bounded HTTP/1.1 GET. */
final class NettyPolicyFetcher implements PolicyFetcher {

    static final String PATH = "/.well-known/mta-sts.txt";
    // RFC 8461 §7.2: TLS 1.2 or higher.
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final FetchSettings settings;
    private final DnsClient dns;
    private final EventLoopGroup group;
    private final X509ExtendedTrustManager pkix;
    private final FetchLimiter limiter;
    private final Clock clock;

    NettyPolicyFetcher(
            FetchSettings settings, DnsClient dns, EventLoopGroup group, X509ExtendedTrustManager pkix, Clock clock) {
        this.settings = settings;
        this.dns = dns;
        this.group = group;
        this.pkix = pkix;
        this.clock = clock;
        this.limiter = new FetchLimiter(settings.maxConcurrentFetches());
    }

    @Override
    public CompletionStage<FetchResult> fetch(String policyDomain) {
        return limiter.submit(() -> start(policyDomain));
    }

    private CompletionStage<FetchResult> start(String policyDomain) {
        // RFC 8461 §3.2: the policy host is "mta-sts." + the Policy Domain.
        String host = "mta-sts." + policyDomain;
        String authority = settings.port() == 443 ? host : host + ":" + settings.port();
        // The fetch duration is an elapsed time, so it is measured on the monotonic clock, not the wall clock.
        FetchAttempt attempt = new FetchAttempt("https://" + authority + PATH, System.nanoTime());
        ScheduledFuture<?> deadline = group.schedule(
                () -> attempt.fail(
                        ResultType.STS_POLICY_FETCH_ERROR,
                        "no complete answer from " + host + " within "
                                + settings.totalTimeout().toSeconds() + " s"),
                settings.totalTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        attempt.outcome().whenComplete((result, error) -> deadline.cancel(false));
        resolve(host).whenComplete((addresses, error) -> {
            if (error != null) {
                attempt.fail(ResultType.STS_POLICY_FETCH_ERROR, "resolving " + host + " failed: " + error);
            } else if (addresses instanceof Addresses.None none) {
                attempt.fail(ResultType.STS_POLICY_FETCH_ERROR, none.reason());
            } else {
                List<InetAddress> found = ((Addresses.Found) addresses).addresses();
                attempt.addresses(
                        found.stream().map(InetAddress::getHostAddress).toList());
                connect(attempt, host, authority, found, 0, "");
            }
        });
        return attempt.outcome();
    }

    /** The policy host's addresses, or why there are none. */
    private sealed interface Addresses {
        record Found(List<InetAddress> addresses) implements Addresses {}

        record None(String reason) implements Addresses {}
    }

    // The policy host is resolved by our DNS client, never by the JVM's resolver.
    private CompletionStage<Addresses> resolve(String host) {
        return dns.a(host).thenCombine(dns.aaaa(host), (v4, v6) -> {
            List<InetAddress> all = new ArrayList<>(v4.valuesOrEmpty());
            all.addAll(v6.valuesOrEmpty());
            if (!all.isEmpty()) {
                return new Addresses.Found(all);
            }
            if (v4 instanceof DnsResult.Failure<InetAddress> || v6 instanceof DnsResult.Failure<InetAddress>) {
                DnsResult<InetAddress> failed = v4 instanceof DnsResult.Failure<InetAddress> ? v4 : v6;
                return new Addresses.None("resolving " + host + " failed: " + failed.describe());
            }
            if (v4 instanceof DnsResult.NxDomain<InetAddress>) {
                return new Addresses.None(v4.describe());
            }
            return new Addresses.None(host + " has no A or AAAA record");
        });
    }

    private void connect(
            FetchAttempt attempt,
            String host,
            String authority,
            List<InetAddress> addresses,
            int index,
            String errors) {
        if (attempt.isDone()) {
            return;
        }
        if (index >= addresses.size()) {
            attempt.fail(
                    ResultType.STS_POLICY_FETCH_ERROR,
                    "could not connect to " + host + " port " + settings.port() + ":" + errors);
            return;
        }
        InetAddress address = addresses.get(index);
        RecordingTrustManager trust = new RecordingTrustManager(pkix, host, clock);
        SSLEngine engine;
        try {
            engine = newEngine(host, trust);
        } catch (GeneralSecurityException unavailable) {
            attempt.fail(ResultType.STS_POLICY_FETCH_ERROR, "TLS unavailable: " + unavailable.getMessage());
            return;
        }
        Bootstrap bootstrap = Transports.client(group)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        settings.connectTimeout().toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        SslHandler tls = new SslHandler(engine);
                        // One deadline bounds the whole fetch (RFC 8461 §3.3 suggests one minute in all); a
                        // handshake timer of its own would race it and name the same stall differently.
                        tls.setHandshakeTimeoutMillis(0);
                        channel.pipeline()
                                .addLast("tls", tls)
                                .addLast("http", new HttpClientCodec())
                                .addLast("fetch", new FetchHandler(attempt, settings, host, authority));
                    }
                });
        attempt.connecting(address.getHostAddress(), trust);
        ChannelFuture connecting = bootstrap.connect(new InetSocketAddress(address, settings.port()));
        connecting.addListener(done -> {
            if (done.isSuccess()) {
                attempt.connected(connecting.channel());
            } else {
                connect(
                        attempt,
                        host,
                        authority,
                        addresses,
                        index + 1,
                        errors + " " + address.getHostAddress() + " ("
                                + done.cause().getMessage() + ")");
            }
        });
    }

    private static SSLEngine newEngine(String host, RecordingTrustManager trust) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trust}, null);
        SSLEngine engine = context.createSSLEngine(host, 443);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(PROTOCOLS);
        // RFC 8461 §3.3: the certificate must be valid for the policy host; "HTTPS" makes the JDK check it.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        // RFC 8461 §7.1: "the SNI extension MUST contain the name of the Policy Host".
        parameters.setServerNames(List.of(new SNIHostName(host)));
        engine.setSSLParameters(parameters);
        return engine;
    }
}
