package org.stsrelay.world;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.stsrelay.policy.fetch.TestCa;

/**
 * The world's certificate authorities: the trusted test CA (its PEM is the relay's
 * {@code tls.extra-ca-file}) and a second CA nobody trusts; mints each {@link CertificateKind}.
 */
public final class WorldCertificates {

    private static final Duration VALIDITY = Duration.ofDays(90);
    private static final char[] NO_PASSWORD = new char[0];

    private final TestCa trusted;
    private final TestCa untrusted;
    private final Path trustedPem;

    private WorldCertificates(TestCa trusted, TestCa untrusted, Path trustedPem) {
        this.trusted = trusted;
        this.untrusted = untrusted;
        this.trustedPem = trustedPem;
    }

    /** Mints both CAs and writes the trusted one's certificate to {@code directory/test-ca.pem}. */
    public static WorldCertificates create(Path directory) {
        try {
            TestCa trusted = new TestCa("sts-relay world test CA");
            TestCa untrusted = new TestCa("untrusted CA");
            Path pem = directory.resolve("test-ca.pem");
            Files.writeString(pem, pem(trusted.certificate()));
            return new WorldCertificates(trusted, untrusted, pem);
        } catch (Exception e) {
            throw new IllegalStateException("cannot mint the world's CAs", e);
        }
    }

    /** The trusted CA's certificate as a PEM file. */
    public Path trustedCaFile() {
        return trustedPem;
    }

    /** A key and chain for {@code host} of the given kind. */
    public TestCa.Issued issue(String host, CertificateKind kind) {
        Instant now = Instant.now();
        try {
            return switch (kind) {
                case GOOD -> trusted.issue(host, now.minus(Duration.ofHours(1)), now.plus(VALIDITY), host);
                case EXPIRED -> trusted.issue(host, now.minus(VALIDITY), now.minus(Duration.ofDays(1)), host);
                case NOT_YET_VALID -> trusted.issue(host, now.plus(Duration.ofDays(1)), now.plus(VALIDITY), host);
                case SELF_SIGNED -> selfSigned(host, now);
                case WRONG_HOST ->
                    trusted.issue(
                            "other-host.invalid",
                            now.minus(Duration.ofHours(1)),
                            now.plus(VALIDITY),
                            "other-host.invalid");
                case UNTRUSTED -> untrusted.issue(host, now.minus(Duration.ofHours(1)), now.plus(VALIDITY), host);
            };
        } catch (Exception e) {
            throw new IllegalStateException("cannot mint a " + kind + " certificate for " + host, e);
        }
    }

    /** A server-side TLS context presenting {@code identity}. */
    public static SSLContext serverContext(TestCa.Issued identity) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", identity.key(), NO_PASSWORD, identity.chain());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, NO_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, new SecureRandom());
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a TLS context", e);
        }
    }

    private static TestCa.Issued selfSigned(String host, Instant now) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=" + host);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                subject,
                BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(VALIDITY)),
                subject,
                keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(
                Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, host)));
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        return new TestCa.Issued(keys.getPrivate(), certificate);
    }

    /** Writes {@code identity} as PEM: its chain to {@code cert}, its private key (PKCS#8) to {@code key}. */
    public void writePem(TestCa.Issued identity, Path cert, Path key) {
        StringBuilder chain = new StringBuilder();
        for (X509Certificate certificate : identity.chain()) {
            chain.append(pem(certificate));
        }
        StringWriter keyText = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(keyText)) {
            writer.writeObject(new JcaPKCS8Generator(identity.key(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.writeString(cert, chain);
            Files.writeString(key, keyText.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + cert + " and " + key, e);
        }
    }

    private static String pem(X509Certificate certificate) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
