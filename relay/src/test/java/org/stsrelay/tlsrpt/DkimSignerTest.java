package org.stsrelay.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.config.TlsRptConfig;

/** Signs built reports, then verifies them with an independent RFC 6376 §6 verifier written here. */
class DkimSignerTest {

    private static KeyPair rsa;

    @TempDir
    Path directory;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rsa = generator.generateKeyPair();
    }

    private DkimSigner signer(String pem) throws Exception {
        Path file = directory.resolve("dkim.pem");
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
        return DkimSigner.load(new TlsRptConfig.Dkim("example.net", "tlsrpt", file), ReportMailFixtures.CLOCK);
    }

    private static String pkcs8(KeyPair keys) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'})
                        .encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    private static String pkcs1(KeyPair keys) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(keys.getPrivate());
        }
        assertThat(out.toString()).contains("BEGIN RSA PRIVATE KEY");
        return out.toString();
    }

    @Test
    @DisplayName("RFC 6376 §3.5, RFC 8460 §3: rsa-sha256 relaxed/relaxed signature verifies, no l= tag")
    void rsaSignatureVerifies() throws Exception {
        byte[] signed = signer(pkcs8(rsa)).sign(ReportMailFixtures.message());
        Map<String, String> tags = verify(signed, rsa.getPublic(), "SHA256withRSA", false);
        assertThat(tags)
                .containsEntry("v", "1")
                .containsEntry("a", "rsa-sha256")
                .containsEntry("c", "relaxed/relaxed")
                .containsEntry("d", "example.net")
                .containsEntry("s", "tlsrpt")
                .containsEntry("t", "1709342100")
                .doesNotContainKey("l");
    }

    @Test
    @DisplayName("RFC 8460 §5.3: TLS-Report-Domain and TLS-Report-Submitter are among the signed headers")
    void reportHeadersSigned() throws Exception {
        byte[] signed = signer(pkcs8(rsa)).sign(ReportMailFixtures.message());
        Map<String, String> tags = verify(signed, rsa.getPublic(), "SHA256withRSA", false);
        assertThat(Arrays.stream(tags.get("h").split(":")).map(h -> h.toLowerCase(Locale.ROOT)))
                .contains(
                        "from",
                        "to",
                        "subject",
                        "date",
                        "message-id",
                        "mime-version",
                        "content-type",
                        "tls-report-domain",
                        "tls-report-submitter",
                        "auto-submitted");
    }

    @Test
    @DisplayName("RFC 6376 §6.1.3: a modified signed header breaks the signature")
    void modifiedHeaderFails() throws Exception {
        String signed = new String(signer(pkcs8(rsa)).sign(ReportMailFixtures.message()), StandardCharsets.ISO_8859_1);
        String forged = signed.replace("TLS-Report-Domain: xn--bcher-kva.example", "TLS-Report-Domain: evil.example");
        assertThat(forged).isNotEqualTo(signed);
        assertThat(verifies(forged.getBytes(StandardCharsets.ISO_8859_1), rsa.getPublic(), "SHA256withRSA"))
                .isFalse();
    }

    @Test
    @DisplayName("RFC 6376 §3.7: a modified body breaks the body hash")
    void modifiedBodyFails() throws Exception {
        String signed = new String(signer(pkcs8(rsa)).sign(ReportMailFixtures.message()), StandardCharsets.ISO_8859_1);
        String forged = signed.replace("The report itself", "The report itsel f");
        assertThat(verifies(forged.getBytes(StandardCharsets.ISO_8859_1), rsa.getPublic(), "SHA256withRSA"))
                .isFalse();
    }

    @Test
    @DisplayName("RFC 6376 §3.4.2: relaxed header canonicalization survives refolding and case changes")
    void relaxedSurvivesRefolding() throws Exception {
        String signed = new String(signer(pkcs8(rsa)).sign(ReportMailFixtures.message()), StandardCharsets.ISO_8859_1);
        String refolded = signed.replace("Subject: Report Domain:", "subject:   Report\r\n  Domain:");
        assertThat(verifies(refolded.getBytes(StandardCharsets.ISO_8859_1), rsa.getPublic(), "SHA256withRSA"))
                .isTrue();
    }

    @Test
    @DisplayName("RFC 6376 §3.3.1: a PKCS#1 RSA PEM key signs as well")
    void pkcs1Key() throws Exception {
        byte[] signed = signer(pkcs1(rsa)).sign(ReportMailFixtures.message());
        assertThat(verifies(signed, rsa.getPublic(), "SHA256withRSA")).isTrue();
    }

    @Test
    @DisplayName("RFC 8463 §3: an Ed25519 key gives an ed25519-sha256 signature over the SHA-256 hash")
    void ed25519() throws Exception {
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] signed = signer(pkcs8(ed)).sign(ReportMailFixtures.message());
        Map<String, String> tags = verify(signed, ed.getPublic(), "Ed25519", true);
        assertThat(tags).containsEntry("a", "ed25519-sha256");
    }

    private static boolean verifies(byte[] message, PublicKey key, String algorithm) {
        try {
            verify(message, key, algorithm, algorithm.equals("Ed25519"));
            return true;
        } catch (AssertionError | Exception e) {
            return false;
        }
    }

    /** An RFC 6376 §6.1 verifier for relaxed/relaxed, kept apart from the signer's code on purpose. */
    private static Map<String, String> verify(byte[] message, PublicKey key, String algorithm, boolean prehash)
            throws Exception {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int split = text.indexOf("\r\n\r\n");
        String header = text.substring(0, split + 2);
        String body = text.substring(split + 4);
        List<String> fields = DkimSigner.fields(header);
        String dkim = fields.get(0);
        assertThat(dkim).startsWith("DKIM-Signature:");

        Map<String, String> tags = new LinkedHashMap<>();
        for (String tag : dkim.substring(dkim.indexOf(':') + 1).split(";")) {
            String clean = tag.replaceAll("[ \t\r\n]", "");
            if (!clean.isEmpty()) {
                tags.put(clean.substring(0, clean.indexOf('=')), clean.substring(clean.indexOf('=') + 1));
            }
        }

        // RFC 6376 §3.4.4 relaxed body
        String[] lines = body.split("\r\n", -1);
        int last = lines.length - 1;
        while (last >= 0 && lines[last].isBlank()) {
            last--;
        }
        StringBuilder canonicalBody = new StringBuilder();
        for (int i = 0; i <= last; i++) {
            canonicalBody
                    .append(lines[i].replaceAll("[ \t]+", " ").replaceAll(" $", ""))
                    .append("\r\n");
        }
        byte[] bh = MessageDigest.getInstance("SHA-256")
                .digest(canonicalBody.toString().getBytes(StandardCharsets.ISO_8859_1));
        assertThat(Base64.getEncoder().encodeToString(bh)).as("bh=").isEqualTo(tags.get("bh"));

        StringBuilder data = new StringBuilder();
        for (String name : tags.get("h").split(":")) {
            String found = null;
            for (String field : fields.subList(1, fields.size())) {
                if (field.substring(0, field.indexOf(':')).trim().equalsIgnoreCase(name)) {
                    found = field;
                }
            }
            data.append(relaxedHeader(found)).append("\r\n");
        }
        String emptied = dkim.replaceAll(";(\\s*)b=[^;]*$", ";$1b=");
        data.append(relaxedHeader(emptied));
        byte[] signed = data.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (prehash) {
            signed = MessageDigest.getInstance("SHA-256").digest(signed);
        }
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(key);
        verifier.update(signed);
        assertThat(verifier.verify(Base64.getDecoder().decode(tags.get("b"))))
                .as("b=")
                .isTrue();
        return tags;
    }

    private static String relaxedHeader(String field) {
        String name = field.substring(0, field.indexOf(':')).trim().toLowerCase(Locale.ROOT);
        String value = field.substring(field.indexOf(':') + 1)
                .replaceAll("\r\n([ \t])", "$1")
                .replaceAll("[ \t]+", " ")
                .trim();
        return name + ":" + value;
    }
}
