package org.stsrelay.inbound;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import org.stsrelay.config.InboundConfig.TlsFiles;
import org.stsrelay.support.PemFiles;

/** Builds the STARTTLS server context from a PEM certificate chain and a PEM private key, TLS 1.2 and 1.3 only. */
public final class InboundTls {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private InboundTls() {}

    /**
     * The server SslContext; the key may be PKCS#8 ({@code PRIVATE KEY}) or PKCS#1/SEC 1
     * ({@code RSA PRIVATE KEY}, {@code EC PRIVATE KEY}), unencrypted. Errors name the file at fault.
     */
    public static SslContext serverContext(TlsFiles files) throws IOException {
        List<X509Certificate> chain = PemFiles.certificates(files.certificate());
        PrivateKey key = PemFiles.privateKey(files.privateKey());
        try {
            return SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                    // BoringSSL where the platform has it (see the outbound side, ClientEngines), else the JDK.
                    .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException(
                    "cannot use TLS certificate " + files.certificate() + " with key " + files.privateKey() + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
