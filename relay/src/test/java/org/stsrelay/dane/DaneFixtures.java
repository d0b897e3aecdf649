package org.stsrelay.dane;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed server certificates minted with BouncyCastle, and TLSA records computed from certificates. */
public final class DaneFixtures {

    /** A key and its self-signed certificate. */
    public record SelfSigned(PrivateKey key, X509Certificate certificate) {}

    private static final AtomicLong SERIAL = new AtomicLong(1);

    private DaneFixtures() {}

    /** Mints a self-signed leaf named {@code dnsName} (as CN and DNS-ID) valid from {@code from} to {@code to}. */
    public static SelfSigned selfSigned(String dnsName, Instant from, Instant to) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        X500Name name = new X500Name("CN=" + dnsName);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                        name,
                        BigInteger.valueOf(SERIAL.getAndIncrement()),
                        Date.from(from),
                        Date.from(to),
                        name,
                        keys.getPublic())
                .addExtension(
                        Extension.subjectAlternativeName,
                        false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        return new SelfSigned(keys.getPrivate(), certificate);
    }

    /** The TLSA record with these fields whose data is computed from {@code certificate}. */
    public static TlsaRecord tlsa(int usage, int selector, int matchingType, X509Certificate certificate)
            throws Exception {
        byte[] selected = selector == 0
                ? certificate.getEncoded()
                : certificate.getPublicKey().getEncoded();
        byte[] data = switch (matchingType) {
            case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
            case 2 -> MessageDigest.getInstance("SHA-512").digest(selected);
            default -> selected;
        };
        return TlsaRecord.of(usage, selector, matchingType, data);
    }
}
