package org.stsrelay.inbound;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.stsrelay.config.InboundConfig.TlsFiles;

/** Builds the STARTTLS server context from a PEM certificate chain and a PEM private key, TLS 1.2 and 1.3 only. */
public final class InboundTls {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private InboundTls() {
    }

    /**
     * The server SslContext; the key may be PKCS#8 ({@code PRIVATE KEY}) or PKCS#1/SEC 1
     * ({@code RSA PRIVATE KEY}, {@code EC PRIVATE KEY}), unencrypted. Errors name the file at fault.
     */
    public static SslContext serverContext(TlsFiles files) throws IOException {
        List<X509Certificate> chain = certificates(files.certificate());
        PrivateKey key = privateKey(files.privateKey());
        try {
            return SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("cannot use TLS certificate " + files.certificate() + " with key "
                    + files.privateKey() + ": " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
            if (chain.isEmpty()) {
                throw new IOException("TLS certificate file " + file + " contains no PEM certificate");
            }
            return chain;
        } catch (CertificateException e) {
            throw new IOException("cannot parse TLS certificate file " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw e.getMessage() != null && e.getMessage().contains(file.toString()) ? e
                    : new IOException("cannot read TLS certificate file " + file + ": " + e, e);
        }
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        Object pem;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            pem = parser.readObject();
        } catch (IOException e) {
            throw new IOException("cannot read TLS private key file " + file + ": " + e, e);
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (pem instanceof PEMKeyPair pair) {
            // SEC 1 EC keys may omit the public key, so only the private part is converted.
            return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (pem instanceof PrivateKeyInfo info) {
            return converter.getPrivateKey(info);
        }
        if (pem instanceof PEMEncryptedKeyPair || pem instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw new IOException("TLS private key file " + file + " is encrypted; give an unencrypted key");
        }
        throw new IOException("TLS private key file " + file + " contains no PEM private key");
    }
}
