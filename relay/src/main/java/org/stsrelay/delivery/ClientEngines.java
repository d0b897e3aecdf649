package org.stsrelay.delivery;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * The client TLS of every SMTP connection, the same for MTA-STS and DANE: one shared context (its session cache
 * makes resumption possible) and one engine per connection.
 *
 * <p>The context runs on BoringSSL (netty-tcnative) where the platform has it, else on the JDK's provider. Both
 * hand every peer chain to {@link AcceptingTrustManager} and expose it on the session afterwards, where
 * {@link CertificateCheck} and the DANE matcher judge it; the provider only does the cryptography.
 */
public final class ClientEngines {

    // RFC 8461 §7.2 and RFC 7672 §8.1 both assume TLS 1.2 or later.
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SslContext context;

    private ClientEngines(SslContext context) {
        this.context = context;
    }

    /** The shared client context on the fastest provider this platform has. */
    public static ClientEngines create() {
        return create(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK);
    }

    /** The shared client context on {@code provider}. */
    public static ClientEngines create(SslProvider provider) {
        try {
            return new ClientEngines(SslContextBuilder.forClient()
                    .sslProvider(provider)
                    .trustManager(new AcceptingTrustManager())
                    .protocols(PROTOCOLS)
                    .build());
        } catch (SSLException unusable) {
            throw new IllegalStateException("client TLS is unavailable: " + unusable.getMessage(), unusable);
        }
    }

    /** Which TLS implementation carries the connections: "OpenSSL" (BoringSSL) or "JDK". */
    public String provider() {
        return context.getClass().getSimpleName().contains("OpenSsl") ? "OpenSSL" : "JDK";
    }

    /**
     * Returns a client engine for {@code sniHost}: the MX host name for MTA-STS (RFC 8461 §7.1), the TLSA base
     * domain for DANE (RFC 7672 §8.1); peer host and port key the session cache.
     */
    public SSLEngine engine(ByteBufAllocator allocator, String sniHost, int port) {
        SSLEngine engine = context.newEngine(allocator, sniHost, port);
        // RFC 6066 §3: a literal IP address is not permitted in SNI.
        if (!sniHost.isEmpty() && !Character.isDigit(sniHost.charAt(sniHost.length() - 1)) && !sniHost.contains(":")) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(sniHost)));
            engine.setSSLParameters(parameters);
        }
        return engine;
    }
}
