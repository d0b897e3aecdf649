package org.stsrelay.received;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.stsrelay.config.TlsRptConfig;
import org.stsrelay.tlsrpt.DkimSigner;

/**
 * A signing domain for tests: a generated RSA key, the relay's own DKIM signer, and the key record a
 * {@link DkimKeys} serves for it.
 */
final class SignedMail {

    static final String DOMAIN = "google.com";
    static final String SELECTOR = "tlsrpt";

    private final KeyPair keys;
    private final DkimSigner signer;

    SignedMail(Path directory) throws IOException, NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        this.keys = generator.generateKeyPair();
        Path pem = directory.resolve("dkim.pem");
        Files.writeString(
                pem,
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(keys.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
        this.signer = DkimSigner.load(new TlsRptConfig.Dkim(DOMAIN, SELECTOR, pem), Clock.systemUTC());
    }

    /** {@code message} (CRLF line ends) with a DKIM-Signature prepended. */
    String sign(String message) {
        return new String(signer.sign(message.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
    }

    /** The key record published at {@code tlsrpt._domainkey.google.com} (RFC 6376 §3.6.1). */
    String keyRecord() {
        return "v=DKIM1; k=rsa; p="
                + Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    }

    /** Keys that serve this domain's record and nothing else. */
    DkimKeys keys() {
        Map<String, String> records = Map.of(SELECTOR + "._domainkey." + DOMAIN, keyRecord());
        return (selector, domain) -> {
            String record = records.get(selector + "._domainkey." + domain);
            return record == null
                    ? new DkimKeys.Lookup.Unavailable(selector + "._domainkey." + domain + " does not exist (NXDOMAIN)")
                    : new DkimKeys.Lookup.Found(java.util.List.of(record));
        };
    }
}
