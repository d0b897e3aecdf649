package org.stsrelay.tlsrpt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.stsrelay.config.TlsRptConfig;
import org.stsrelay.support.PemFiles;

/**
 * Adds an RFC 6376 DKIM-Signature (relaxed/relaxed; rsa-sha256, or ed25519-sha256 per RFC 8463) to
 * a report message, as RFC 8460 §3 requires of mailed reports.
 *
 * <p>Written here rather than with Apache James jDKIM, which verifies the reports the organisation's own domains
 * receive (org.stsrelay.received): signing our one fixed message is a page of code, and doing it by hand keeps the
 * RFC 8460 rules (no {@code l=}, TLS-Report-* headers signed) in one visible place.
 */
public final class DkimSigner {

    /** RFC 8460 §5.3: the TLS-Report-* headers SHOULD be signed; the rest bind the report's identity. */
    static final List<String> SIGNED_HEADERS = List.of(
            "From",
            "To",
            "Subject",
            "Date",
            "Message-ID",
            "MIME-Version",
            "Content-Type",
            "TLS-Report-Domain",
            "TLS-Report-Submitter",
            "Auto-Submitted");

    private final String domain;
    private final String selector;
    private final AsymmetricKeyParameter key;
    private final Clock clock;

    DkimSigner(String domain, String selector, AsymmetricKeyParameter key, Clock clock) {
        if (!(key instanceof RSAKeyParameters) && !(key instanceof Ed25519PrivateKeyParameters)) {
            throw new IllegalArgumentException(
                    "DKIM key must be RSA or Ed25519, not " + key.getClass().getSimpleName());
        }
        this.domain = Objects.requireNonNull(domain, "domain");
        this.selector = Objects.requireNonNull(selector, "selector");
        this.key = key;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Loads the RSA or Ed25519 PEM key named in {@code config} (PKCS#8, or PKCS#1 RSA); throws if it cannot be read.
     */
    public static DkimSigner load(TlsRptConfig.Dkim config, Clock clock) throws IOException {
        return new DkimSigner(config.domain(), config.selector(), readKey(config.privateKey()), clock);
    }

    private static AsymmetricKeyParameter readKey(Path pem) throws IOException {
        return PrivateKeyFactory.createKey(PemFiles.privateKey(pem).getEncoded());
    }

    /** Returns {@code message} (CRLF line ends) with a DKIM-Signature header field prepended. */
    public byte[] sign(byte[] message) {
        // Latin-1 maps bytes 1:1, so canonicalization never alters 8-bit content.
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int split = text.indexOf("\r\n\r\n");
        if (split < 0) {
            throw new IllegalArgumentException("message has no header/body separator");
        }
        List<String> fields = fields(text.substring(0, split + 2));
        String body = text.substring(split + 4);

        // RFC 6376 §3.7: bh= is over the canonicalized body; RFC 8460 §3: the whole body, no l=.
        String bodyHash = Base64.getEncoder().encodeToString(sha256(DkimCanonical.body(body)));
        StringBuilder hashed = new StringBuilder();
        List<String> signedNames = new ArrayList<>();
        for (String name : SIGNED_HEADERS) {
            // RFC 6376 §5.4.2: a header that occurs more than once is signed from the bottom up; ours occur once.
            String field = last(fields, name);
            if (field != null) {
                hashed.append(DkimCanonical.header(field));
                signedNames.add(name);
            }
        }
        String algorithm = key instanceof Ed25519PrivateKeyParameters ? "ed25519-sha256" : "rsa-sha256";
        String unsigned = "DKIM-Signature: v=1; a=" + algorithm + "; c=relaxed/relaxed; d=" + domain
                + "; s=" + selector + ";\r\n\tt=" + clock.instant().getEpochSecond()
                + "; h=" + String.join(":", signedNames) + ";\r\n\tbh=" + bodyHash + ";\r\n\tb=";
        // RFC 6376 §3.7: the DKIM-Signature itself is hashed last, with an empty b= and no trailing CRLF.
        String canonicalSelf = DkimCanonical.header(unsigned);
        hashed.append(canonicalSelf, 0, canonicalSelf.length() - 2);
        String signature =
                Base64.getEncoder().encodeToString(signature(hashed.toString().getBytes(StandardCharsets.ISO_8859_1)));

        StringBuilder signed = new StringBuilder(unsigned);
        for (int at = 0; at < signature.length(); at += 72) {
            signed.append(at == 0 ? "" : "\r\n\t").append(signature, at, Math.min(signature.length(), at + 72));
        }
        signed.append("\r\n").append(text);
        return signed.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private byte[] signature(byte[] data) {
        Signer signer;
        byte[] input = data;
        if (key instanceof Ed25519PrivateKeyParameters) {
            // RFC 8463 §3: Ed25519 signs the SHA-256 hash of the data (PureEdDSA over the hash).
            signer = new Ed25519Signer();
            input = sha256(data);
        } else {
            signer = new RSADigestSigner(new SHA256Digest());
        }
        signer.init(true, key);
        signer.update(input, 0, input.length);
        try {
            return signer.generateSignature();
        } catch (CryptoException e) {
            throw new IllegalStateException("DKIM signing failed", e);
        }
    }

    /** Splits a header block into fields, each with its continuation lines (still folded). */
    static List<String> fields(String header) {
        List<String> fields = new ArrayList<>();
        for (String line : header.split("\r\n")) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && !fields.isEmpty()) {
                fields.set(fields.size() - 1, fields.get(fields.size() - 1) + "\r\n" + line);
            } else if (!line.isEmpty()) {
                fields.add(line);
            }
        }
        return fields;
    }

    private static String last(List<String> fields, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (int i = fields.size() - 1; i >= 0; i--) {
            String field = fields.get(i);
            int colon = field.indexOf(':');
            if (colon > 0
                    && field.substring(0, colon)
                            .strip()
                            .toLowerCase(Locale.ROOT)
                            .equals(lower)) {
                return field;
            }
        }
        return null;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
