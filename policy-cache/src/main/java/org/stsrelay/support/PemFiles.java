package org.stsrelay.support;

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
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads PEM files (RFC 7468): certificate chains and CA bundles, and unencrypted private keys. Every error
 * names the file at fault and says what is wrong with it.
 */
public final class PemFiles {

    private PemFiles() {}

    /** Every certificate of a PEM file, in file order; a file without one is an error. */
    public static List<X509Certificate> certificates(Path file) throws IOException {
        List<X509Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast)
                    .toList();
        } catch (CertificateException e) {
            throw new IOException("cannot parse certificate file " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IOException("cannot read certificate file " + file + ": " + e, e);
        }
        if (certificates.isEmpty()) {
            throw new IOException("certificate file " + file + " contains no PEM certificate");
        }
        return certificates;
    }

    /**
     * The private key of a PEM file: PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or
     * SEC 1 ({@code EC PRIVATE KEY}), unencrypted, since the relay starts unattended.
     */
    public static PrivateKey privateKey(Path file) throws IOException {
        Object pem;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            pem = parser.readObject();
        } catch (IOException e) {
            throw new IOException("cannot read private key file " + file + ": " + e, e);
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
            throw new IOException("private key file " + file + " is encrypted; give an unencrypted key");
        }
        throw new IOException("private key file " + file + " contains no PEM private key");
    }
}
