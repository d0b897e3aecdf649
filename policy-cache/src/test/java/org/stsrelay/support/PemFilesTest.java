package org.stsrelay.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stsrelay.policy.fetch.TestCa;

class PemFilesTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "RFC 7468: a {0} key in {1} form is read")
    @CsvSource({
        "RSA,     PKCS8,       -----BEGIN PRIVATE KEY-----",
        "RSA,     TRADITIONAL, -----BEGIN RSA PRIVATE KEY-----",
        "EC,      PKCS8,       -----BEGIN PRIVATE KEY-----",
        "Ed25519, PKCS8,       -----BEGIN PRIVATE KEY-----",
    })
    void readsUnencryptedPrivateKeys(String algorithm, String form, String label) throws Exception {
        PrivateKey key = keys(algorithm).getPrivate();
        String pem = form.equals("PKCS8") ? pem("PRIVATE KEY", key.getEncoded()) : traditional(key);
        Path file = write("key.pem", pem);

        PrivateKey read = PemFiles.privateKey(file);

        assertThat(pem).startsWith(label);
        assertThat(read.getEncoded()).isEqualTo(key.getEncoded());
    }

    @Test
    void readsEveryCertificateOfABundleInFileOrder() throws Exception {
        X509Certificate first = new TestCa("first").certificate();
        X509Certificate second = new TestCa("second").certificate();
        Path file = write("cas.pem", pem("CERTIFICATE", first.getEncoded()) + pem("CERTIFICATE", second.getEncoded()));

        assertThat(PemFiles.certificates(file)).containsExactly(first, second);
    }

    @Test
    void aFileWithoutAKeyOrACertificateIsNamedInTheError() throws Exception {
        Path certificate = write(
                "ca.pem", pem("CERTIFICATE", new TestCa("ca").certificate().getEncoded()));
        Path empty = write("empty.pem", "");
        Path text = write("text.pem", "nothing here\n");
        Path missing = dir.resolve("missing.pem");

        assertThatThrownBy(() -> PemFiles.privateKey(certificate))
                .isInstanceOf(IOException.class)
                .hasMessage("private key file " + certificate + " contains no PEM private key");
        assertThatThrownBy(() -> PemFiles.certificates(empty))
                .isInstanceOf(IOException.class)
                .hasMessage("certificate file " + empty + " contains no PEM certificate");
        assertThatThrownBy(() -> PemFiles.certificates(text))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot parse certificate file " + text);
        assertThatThrownBy(() -> PemFiles.certificates(missing))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot read certificate file " + missing);
        assertThatThrownBy(() -> PemFiles.privateKey(missing))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot read private key file " + missing);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
    }

    private static KeyPair keys(String algorithm) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("EC")) {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } else if (algorithm.equals("RSA")) {
            generator.initialize(2048);
        }
        return generator.generateKeyPair();
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    private static String traditional(PrivateKey key) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(key);
        }
        return out.toString();
    }
}
