package org.stsrelay.policy.fetch;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A test certificate authority minted with BouncyCastle; issues leaf certificates for policy hosts. */
public final class TestCa {

    /** A private key and its certificate chain, leaf first. */
    public record Issued(PrivateKey key, X509Certificate... chain) {}

    private static final AtomicLong SERIAL = new AtomicLong(1);

    private final KeyPair keys;
    private final X509Certificate certificate;

    /** Mints a self-signed CA named {@code name}. */
    public TestCa(String name) throws Exception {
        keys = newKeys();
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + name);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                        subject,
                        serial(),
                        Date.from(now.minusSeconds(86_400)),
                        Date.from(now.plusSeconds(86_400 * 365L)),
                        subject,
                        keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        certificate = sign(builder, keys.getPrivate());
    }

    /** Returns the CA certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** Issues a leaf valid from {@code notBefore} to {@code notAfter} for {@code dnsNames} (no SAN if none). */
    public Issued issue(String commonName, Instant notBefore, Instant notAfter, String... dnsNames) throws Exception {
        KeyPair leafKeys = newKeys();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                        new X500Name(certificate.getSubjectX500Principal().getName()),
                        serial(),
                        Date.from(notBefore),
                        Date.from(notAfter),
                        new X500Name("CN=" + commonName),
                        leafKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        if (dnsNames.length > 0) {
            GeneralName[] names = new GeneralName[dnsNames.length];
            for (int i = 0; i < dnsNames.length; i++) {
                names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
            }
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
        return new Issued(leafKeys.getPrivate(), sign(builder, keys.getPrivate()), certificate);
    }

    /** Issues a leaf valid now for a year. */
    public Issued issue(String... dnsNames) throws Exception {
        Instant now = Instant.now();
        return issue(dnsNames[0], now.minusSeconds(3600), now.plusSeconds(86_400 * 90L), dnsNames);
    }

    private static KeyPair newKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.getAndIncrement());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }
}
